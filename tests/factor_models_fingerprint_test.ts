/** The code an ials / bpr step runs enters its fingerprint, workers and kernels included. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { codeClosure } from "../runners/module_graph.ts";
import { planExperiment } from "../runners/plan.ts";
import { validateSpec } from "../runners/spec/load.ts";

function codeOf(type: string, step: string): string[] {
  const spec = validateSpec({ name: "x", data: { scale: "tiny" }, model: { type } });
  const planned = planExperiment(spec).find((s) => s.name === step)!;
  return [...codeClosure([...planned.kind.modules, ...planned.modules ?? []]).files.keys()];
}

const under = (files: string[], folder: string) =>
  files.filter((f) => f.includes(join("models", folder) + "/"));

Deno.test("ials and bpr steps cover their workers, kernels and trainers; Top-Pop's do not", () => {
  const ialsTrain = codeOf("ials", "train");
  for (const file of ["worker.ts", "wasm_rows.ts", "als_rows.ts", "dev_ndcg.ts"]) {
    assert.ok(ialsTrain.some((f) => f.endsWith(join("ials", file))), `ials train: ${file}`);
  }
  assert.deepEqual(under(ialsTrain, "bpr"), []);
  const bprTrain = codeOf("bpr", "train");
  for (const file of ["bpr/worker.ts", "bpr/sgd.ts", "ials/dev_ndcg.ts"]) {
    assert.ok(bprTrain.some((f) => f.endsWith(file)), `bpr train: ${file}`);
  }
  const bprRecommend = codeOf("bpr", "recommend");
  assert.ok(bprRecommend.some((f) => f.endsWith(join("ials", "worker.ts"))), "recommend workers");
  for (const step of ["train", "recommend", "evaluate"]) {
    const files = codeOf("toppop", step);
    assert.deepEqual([...under(files, "ials"), ...under(files, "bpr")], [], `toppop ${step}`);
  }
});
