/**
 * The recommend step's list-shaping fields on generated data: which training rows count as
 * seen (`seen_from`), which anime are candidates for each part, and that a model without the
 * python tie orders refuses them at planning.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { seededRandom } from "../data/rng/seeded.ts";
import { svdpp } from "../models/svdpp/mod.ts";
import { planExperiment } from "../runners/plan.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { type RecommendParams, recommendStep } from "../runners/steps/recommend.ts";
import { rowsArtifact } from "../runners/steps/split.ts";
import type { StepRunContext } from "../runners/steps/step.ts";
import { trainStep } from "../runners/steps/train.ts";
import type { Artifact } from "../runners/table.ts";

const root = join(import.meta.dirname!, "..");

function context(): StepRunContext {
  return {
    seed: 7,
    rng: "seeded",
    progress() {},
    log() {},
    filesDir: () => {
      throw new Error("not used");
    },
    inputFiles: () => {
      throw new Error("not used");
    },
  };
}

const N_USERS = 30;
const N_ITEMS = 25;

/**
 * Each user rates 12 distinct random anime (ids 1000 + 17 * item); per user the first row
 * is test, the second dev, the rest train; every third training row is the 3%-style sample
 * the model is fitted on (the split's `train`), all of them the `seen` rows.
 */
function generated(): { clean: Artifact; split: Artifact } {
  const random = seededRandom(11);
  const user: number[] = [];
  const item: number[] = [];
  const rating: number[] = [];
  for (let u = 0; u < N_USERS; u++) {
    const items = Array.from({ length: N_ITEMS }, (_, i) => i)
      .sort(() => random() - 0.5)
      .slice(0, 12);
    for (const i of items) {
      user.push(u);
      item.push(i);
      rating.push(1 + Math.floor(random() * 10));
    }
  }
  const test: number[] = [], dev: number[] = [], train: number[] = [];
  user.forEach((u, row) => {
    const nth = row - user.indexOf(u);
    (nth === 0 ? test : nth === 1 ? dev : train).push(row);
  });
  const sample = train.filter((_, p) => p % 3 === 0);
  const clean: Artifact = {
    tables: {
      ratings: {
        user: Int32Array.from(user),
        item: Int32Array.from(item),
        rating: Float32Array.from(rating),
      },
      users: { user_id: Int32Array.from({ length: N_USERS }, (_, u) => 500 + u) },
      items: { anime_id: Int32Array.from({ length: N_ITEMS }, (_, i) => 1000 + 17 * i) },
    },
    meta: { scale: [1, 10] },
  };
  const split = rowsArtifact(
    Int32Array.from(sample),
    Int32Array.from(dev),
    Int32Array.from(test),
    Int32Array.from(train),
  );
  return { clean, split };
}

async function listsFor(overrides: Partial<RecommendParams>) {
  const { clean, split } = generated();
  const config = svdpp.config.parse({ factors: 4, epochs: 3, variant: "surprise" });
  const train = await trainStep.run(
    { type: "svdpp", config, seed: 1 },
    { clean, split },
    context(),
  );
  const params: RecommendParams = {
    type: "svdpp",
    config,
    // every candidate the user may get is listed: the list shows exactly what was excluded
    k: N_ITEMS,
    exclude_seen: true,
    seen_from: "train",
    candidates: "all",
    ties: "item",
    target: "test",
    ...overrides,
  };
  const out = await recommendStep.run(params, { clean, split, train }, context());
  const users = out.tables.users.user as Int32Array;
  const items = out.tables.lists.item as Int32Array;
  const listOf = (u: number) => {
    const b = users.indexOf(u);
    return new Set([...items.subarray(b * N_ITEMS, (b + 1) * N_ITEMS)].filter((i) => i >= 0));
  };
  return { clean, split, listOf };
}

function itemsOfUser(clean: Artifact, rows: Int32Array, u: number): Set<number> {
  const { user, item } = clean.tables.ratings as { user: Int32Array; item: Int32Array };
  return new Set([...rows].filter((r) => user[r] === u).map((r) => item[r]));
}

Deno.test("seen_from sample: only the sampled training rows are excluded, as the study's top_k", async () => {
  const { clean, split, listOf } = await listsFor({ seen_from: "sample" });
  const rowsOf = (part: string) => split.tables[part].row as Int32Array;
  let onlyOutsideSample = 0;
  for (let u = 0; u < N_USERS; u++) {
    const inSample = itemsOfUser(clean, rowsOf("train"), u);
    const inTrain = itemsOfUser(clean, rowsOf("seen"), u);
    const list = listOf(u);
    for (let i = 0; i < N_ITEMS; i++) {
      // an anime rated in the sample cannot be recommended; any other one is listed
      assert.equal(list.has(i), !inSample.has(i), `user ${u}, item ${i}`);
      if (inTrain.has(i) && !inSample.has(i)) {
        assert.ok(list.has(i), `user ${u}: item ${i}, rated outside the sample, is listed`);
        onlyOutsideSample++;
      }
    }
  }
  assert.ok(onlyOutsideSample > N_USERS, "the data has anime rated only outside the sample");
});

Deno.test("seen_from train (the default): every training row is excluded", async () => {
  const { clean, split, listOf } = await listsFor({});
  for (let u = 0; u < N_USERS; u++) {
    const inTrain = itemsOfUser(clean, split.tables.seen.row as Int32Array, u);
    const list = listOf(u);
    for (let i = 0; i < N_ITEMS; i++) assert.equal(list.has(i), !inTrain.has(i), `${u}, ${i}`);
  }
});

Deno.test("candidates: test_items are the test rows' anime for dev too; part_items the part's", async () => {
  const test = await listsFor({ candidates: "test_items", target: "dev", exclude_seen: false });
  const part = await listsFor({ candidates: "part_items", target: "dev", exclude_seen: false });
  const { item } = test.clean.tables.ratings as { item: Int32Array };
  const of = (part: string) =>
    new Set([...(test.split.tables[part].row as Int32Array)].map((r) => item[r]));
  assert.notDeepEqual(of("test"), of("dev"), "the generated parts differ in anime");
  for (let u = 0; u < N_USERS; u++) {
    assert.deepEqual(test.listOf(u), of("test"), `user ${u}`);
    assert.deepEqual(part.listOf(u), of("dev"), `user ${u}`);
  }
});

Deno.test("a model that breaks ties by item only refuses the python tie orders", async () => {
  const { spec } = await loadSpec(join(root, "experiments", "toppop.yaml"), [
    parseOverride("data.scale=tiny"),
    parseOverride("model.ties=python_set"),
  ]);
  assert.throws(() => planExperiment(spec), /model toppop breaks ties by item index only/);
  const seed = await loadSpec(join(root, "experiments", "seed-svdpp.yaml"), []);
  const recommend = planExperiment(seed.spec).find((s) => s.name === "recommend")!;
  const params = recommend.params as RecommendParams;
  assert.equal(params.seen_from, "sample");
  assert.equal(params.candidates, "test_items");
});
