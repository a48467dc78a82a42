/**
 * The results browser's API, called through its request handler (no socket): experiments,
 * the runs table's paging, sorting, filters and columns, the index following the folder,
 * the actions and their guard, and sweeps.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openCheckpointFolder } from "../runners/cache/checkpoints.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { createContext, createHandler } from "../runners/serve/server.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { writeGeneratedRuns, writeGeneratedSweep } from "./helpers/generated_runs.ts";

const RUNS = 40;

function setUp() {
  const results = tempDir("serve-api-");
  const dirs = writeGeneratedRuns(results, RUNS);
  writeGeneratedRuns(results, 3, { experiment: "other", start: Date.UTC(2026, 10, 30) });
  // The cache is the test's own: the Cache page must never scan the project's.
  const handler = createHandler(createContext(results, tempDir("serve-api-cache-")));
  const call = async (path: string, init?: RequestInit) => {
    const response = await handler(new Request(`http://127.0.0.1:8080${path}`, init));
    return { status: response.status, body: await response.text(), response };
  };
  const json = async (path: string, init?: RequestInit) => {
    const { status, body } = await call(path, init);
    return { status, data: JSON.parse(body) };
  };
  return { results, dirs, call, json };
}

function ndcgOf(dir: string): number {
  return JSON.parse(Deno.readTextFileSync(join(dir, "metrics.json"))).test["ndcg@10"];
}

Deno.test("experiments: runs counted, last run and the best value of the chosen metric", async () => {
  const { dirs, json } = setUp();
  const { data } = await json("/api/experiments?metric=test.ndcg@10");
  const sweep = data.experiments.find((e: { name: string }) => e.name === "svd-sweep");
  assert.deepEqual(data.experiments.map((e: { name: string }) => e.name), ["other", "svd-sweep"]);
  assert.equal(sweep.runs, RUNS);
  assert.equal(sweep.last.id, dirs.at(-1)!.split("/").at(-1));
  assert.equal(sweep.best.value, Math.max(...dirs.map(ndcgOf)));
  // rmse is better lower: the best is the minimum.
  const rmse = (await json("/api/experiments?metric=test.rmse")).data.experiments[1].best.value;
  const all = dirs.map((d) => JSON.parse(Deno.readTextFileSync(join(d, "metrics.json"))).test.rmse);
  assert.equal(rmse, Math.min(...all));
});

Deno.test("runs: server-side pages, sorted by a metric, filtered as compare filters", async () => {
  const { json } = setUp();
  const page2 = (await json("/api/runs?experiment=svd-sweep&size=15&page=2")).data;
  assert.equal(page2.matched, RUNS);
  assert.equal(page2.pages, 3);
  assert.equal(page2.rows.length, 15);
  const sorted = (await json(
    "/api/runs?experiment=svd-sweep&sort=test.ndcg@10&desc=1&size=1000",
  )).data.rows.map((r: { values: Record<string, number> }) => r.values["test.ndcg@10"]);
  assert.equal(sorted.length, RUNS);
  assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a));

  const filtered = (await json(
    "/api/runs?experiment=svd-sweep&filter=model.factors%3D32&where=test.ndcg@10>0.1&size=100" +
      "&col=model.factors&col=test.ndcg@10",
  )).data;
  assert.equal(filtered.matched, RUNS / 4);
  for (const row of filtered.rows) {
    assert.equal(row.values["model.factors"], 32);
    assert.ok(row.values["test.ndcg@10"] > 0.1);
  }
  // Across experiments: every run, newest first by default.
  const all = (await json("/api/runs?size=1")).data;
  assert.equal(all.total, RUNS + 3);
  assert.equal(all.rows[0].experiment, "other");
});

Deno.test("runs: chosen columns, and a bad condition named like compare names it", async () => {
  const { json, call } = setUp();
  const chosen = (await json("/api/runs?experiment=svd-sweep&col=model.lr&col=test.ndcg@10"))
    .data;
  assert.deepEqual(chosen.shown, ["run", "model.lr", "test.ndcg@10"]);
  assert.deepEqual(Object.keys(chosen.rows[0].values), chosen.shown);
  const bad = await json("/api/runs?experiment=svd-sweep&filter=model.factor%3D8");
  assert.equal(bad.status, 400);
  assert.match(
    bad.data.error,
    /no spec field or metric 'model.factor'.*did you mean 'model.factors'/,
  );
  const page = await call("/experiments/svd-sweep/runs?filter=model.factor%3D8");
  assert.equal(page.status, 400);
  assert.match(page.body, /did you mean &#39;model.factors&#39;/);
});

Deno.test("the index sees new and removed runs and tags written into a run folder", async () => {
  const { results, dirs, json } = setUp();
  assert.equal((await json("/api/runs?experiment=svd-sweep")).data.matched, RUNS);
  writeGeneratedRuns(results, 1, { start: Date.UTC(2026, 11, 1) });
  Deno.removeSync(dirs[0], { recursive: true });
  assert.equal((await json("/api/runs?experiment=svd-sweep")).data.matched, RUNS);
  const newest = (await json("/api/runs?experiment=svd-sweep&size=1")).data.rows[0].id;
  assert.match(newest, /^20261201T/);
  const id = dirs[5].split("/").at(-1)!;
  const tagged = await json(`/api/runs/svd-sweep/${id}/tags`, {
    method: "POST",
    body: JSON.stringify({ add: ["best"] }),
  });
  assert.deepEqual(tagged.data.annotations.tags, ["best"]);
  const found = (await json("/api/runs?experiment=svd-sweep&filter=tag%3Dbest")).data;
  assert.deepEqual(found.rows.map((r: { id: string }) => r.id), [id]);
});

Deno.test("actions: note, archive and delete; refused from another site's page", async () => {
  const { dirs, json, call } = setUp();
  const [first, second] = dirs.map((d) => d.split("/").at(-1)!);
  const crossSite = await json(`/api/runs/svd-sweep/${first}/tags`, {
    method: "POST",
    headers: { origin: "http://evil.example" },
    body: JSON.stringify({ add: ["x"] }),
  });
  assert.equal(crossSite.status, 403);
  const form = await call(`/runs/svd-sweep/${first}/note`, {
    method: "POST",
    headers: { origin: "http://127.0.0.1:8080" },
    body: new URLSearchParams({ note: "baseline for the paper" }),
  });
  assert.equal(form.status, 303);
  assert.equal(
    (await json(`/api/runs/svd-sweep/${first}`)).data.annotations.note,
    "baseline for the paper",
  );
  assert.equal(
    (await json(`/api/runs/svd-sweep/${first}/archive`, { method: "POST" })).status,
    200,
  );
  assert.equal((await json(`/api/runs/svd-sweep/${second}`, { method: "DELETE" })).status, 200);
  assert.throws(() => Deno.statSync(dirs[1]), Deno.errors.NotFound);
  assert.equal((await json("/api/runs?experiment=svd-sweep")).data.matched, RUNS - 2);
  assert.equal((await json(`/api/runs/svd-sweep/${first}`)).status, 404);
});

Deno.test("only what lies in the results folder is served: no traversal, no links out", async () => {
  const { results, dirs, call } = setUp();
  const id = dirs[0].split("/").at(-1)!;
  const secret = join(tempDir("serve-outside-"), "secret.txt");
  Deno.writeTextFileSync(secret, "not yours");
  Deno.writeTextFileSync(join(results, "top-level.txt"), "not a run file");
  Deno.symlinkSync(secret, join(dirs[0], "link.txt"));
  Deno.symlinkSync(join(secret, ".."), join(results, "linked-experiment"));
  const ok = await call(`/files/svd-sweep/${id}/spec.json`);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, Deno.readTextFileSync(join(dirs[0], "spec.json")));
  for (
    const path of [
      `/files/svd-sweep/${id}/link.txt`,
      `/files/svd-sweep/${id}/..%2F..%2Ftop-level.txt`,
      `/files/svd-sweep/${id}/%2e%2e`,
      `/files/svd-sweep/..%2F..%2F..%2Fetc/passwd`,
      `/files/%2e%2e/${id}/spec.json`,
      `/files/svd-sweep/${id}/.annotations.json`,
      `/files/linked-experiment/${id}/secret.txt`,
      `/runs/linked-experiment/${id}`,
      `/files/svd-sweep/${id}/%E0%A4%A`,
      `/api/runs/..%2F..%2Fetc/${id}`,
    ]
  ) {
    const response = await call(path);
    assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
    assert.ok(!response.body.includes("not yours") && !response.body.includes("not a run file"));
  }
});

Deno.test("sweeps: progress, time left and a failed trial's error", async () => {
  const { results, dirs, json } = setUp();
  writeGeneratedSweep(results, "svd-sweep", "20261129T090000Z-abcdef", [
    { status: "ran", runDir: dirs[0], seconds: 4, exitCode: 0, log: "ok\n" },
    { status: "failed", seconds: 2, exitCode: 1, log: "step 1\nerror: model.lr: too big\n" },
    { status: "running" },
    { status: "pending" },
  ], false);
  const sweep = (await json("/api/sweeps/svd-sweep/20261129T090000Z-abcdef")).data;
  assert.equal(sweep.total, 4);
  assert.equal(sweep.completed, 2);
  assert.equal(sweep.failed, 1);
  assert.equal(sweep.running, true);
  assert.equal(sweep.eta, 4); // two trials left x 4 s, over 2 jobs
  assert.match(sweep.trials[1].error, /model.lr: too big/);
  assert.equal(sweep.trials[0].run_id, dirs[0].split("/").at(-1));
  const list = (await json("/api/sweeps/svd-sweep")).data.sweeps;
  assert.equal(list.length, 1);
});

Deno.test("sweep events: one event now, the next when sweep.json changes", async () => {
  const { results } = setUp();
  const id = "20261129T090000Z-abcdef";
  writeGeneratedSweep(
    results,
    "svd-sweep",
    id,
    [{ status: "running" }, { status: "pending" }],
    false,
  );
  const handler = createHandler(createContext(results, tempDir("serve-api-cache-")));
  const abort = new AbortController();
  const response = await handler(
    new Request(`http://127.0.0.1/api/sweeps/svd-sweep/${id}/events`, { signal: abort.signal }),
  );
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const nextEvent = async () => {
    let text = "";
    while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
    return JSON.parse(text.match(/^data: (.*)$/m)![1]);
  };
  assert.equal((await nextEvent()).completed, 0);
  writeGeneratedSweep(results, "svd-sweep", id, [
    { status: "ran", seconds: 3 },
    { status: "ran", seconds: 3 },
  ], true);
  const last = await nextEvent();
  assert.equal(last.completed, 2);
  assert.equal(last.running, false);
  assert.equal((await reader.read()).done, true, "the stream ends with the sweep");
  abort.abort();
});

Deno.test("cache: gc's dry run lists what no kept run references, then removes it", async () => {
  const results = tempDir("serve-gc-");
  const cache = tempDir("serve-gc-cache-");
  writeGeneratedRuns(results, 2);
  const orphan = join(cache, "artifacts", "ab", "ab" + "0".repeat(62));
  Deno.mkdirSync(orphan, { recursive: true });
  Deno.writeTextFileSync(join(orphan, "table.arrow"), "x".repeat(1000));
  const handler = createHandler(createContext(results, cache));
  const call = async (path: string, method = "GET") => {
    const response = await handler(new Request(`http://127.0.0.1${path}`, { method }));
    return { status: response.status, body: await response.text() };
  };
  const dry = JSON.parse((await call("/api/gc")).body);
  assert.equal(dry.dryRun, true);
  assert.deepEqual(dry.removed.map((e: { path: string }) => e.path), [orphan]);
  assert.ok(dry.removedBytes >= 1000);
  Deno.statSync(orphan); // a dry run removes nothing
  const page = await call("/gc");
  assert.match(page.body, /Remove 1 artifacts/);
  assert.equal((await call("/gc", "POST")).status, 303);
  assert.throws(() => Deno.statSync(orphan), Deno.errors.NotFound);
  assert.deepEqual(JSON.parse((await call("/api/gc")).body).removed, []);
});

Deno.test("cache: the gc page shows checkpoints of unfinished steps as their own group; the box keeps them", async () => {
  const results = tempDir("serve-gc-ckpt-");
  const cache = tempDir("serve-gc-ckpt-cache-");
  const checkpoint = openCheckpointFolder(cache, "cd".repeat(32) as Fingerprint, {
    step: "finetune",
    name: "finetune",
    run: "20261128T090000Z-aaaaaa",
  });
  Deno.writeFileSync(join(checkpoint, "epoch-1.safetensors"), new Uint8Array(5000));
  const handler = createHandler(createContext(results, cache));
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await handler(new Request(`http://127.0.0.1${path}`, init));
    return { status: response.status, body: await response.text() };
  };
  const dry = JSON.parse((await call("/api/gc")).body);
  assert.deepEqual(
    dry.checkpoints.removed.map((e: { path: string; step: string }) => [e.path, e.step]),
    [[checkpoint, "finetune"]],
  );
  assert.ok(dry.checkpoints.removedBytes > 5000);
  const kept = JSON.parse((await call("/api/gc?keep_checkpoints=1")).body);
  assert.equal(kept.checkpoints.kept[0].reason, "kept on request (--keep-checkpoints)");
  const page = (await call("/gc")).body;
  assert.match(page, /Checkpoints of unfinished steps/);
  assert.match(page, /Remove 1 checkpoint folders \(5\.\d KiB\)/);
  assert.match(page, /20261128T090000Z-aaaaaa/);
  const form = (keep: boolean) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: keep ? "keep_checkpoints=on" : "",
  });
  assert.equal((await call("/gc", form(true))).status, 303);
  Deno.statSync(join(checkpoint, "epoch-1.safetensors")); // the box kept it
  const removed = await handler(new Request("http://127.0.0.1/gc", form(false)));
  assert.match(decodeURIComponent(removed.headers.get("location")!), /1 checkpoint folders/);
  assert.throws(() => Deno.statSync(checkpoint), Deno.errors.NotFound);
});

Deno.test("selection: `sel` is echoed on every page of runs and ticks the rows it names", async () => {
  const { dirs, json, call } = setUp();
  const keys = [dirs[0], dirs[39]].map((d) => `svd-sweep/${d.split("/").at(-1)}`);
  const sel = keys.map((k) => `sel=${encodeURIComponent(k)}`).join("&");
  const first = (await json(`/api/runs?experiment=svd-sweep&size=10&${sel}`)).data;
  assert.deepEqual(first.selected, keys);
  // Newest first: the newest run is on page 1, the oldest on page 4.
  const ticked = (rows: Array<{ experiment: string; id: string; selected: boolean }>) =>
    rows.filter((r) => r.selected).map((r) => `${r.experiment}/${r.id}`);
  assert.deepEqual(ticked(first.rows), [keys[1]]);
  const last = (await json(`/api/runs?experiment=svd-sweep&size=10&page=4&${sel}`)).data;
  assert.deepEqual(ticked(last.rows), [keys[0]]);
  // The page: the count, the compare form with both runs, links and the form keep `sel`.
  const html = (await call(`/experiments/svd-sweep/runs?size=10&sort=test.rmse&${sel}`)).body;
  assert.match(html, /id="selected-count">2 selected</);
  for (const key of keys) {
    assert.ok(html.includes(`<input type="hidden" name="run" value="${key}">`), key);
    assert.ok(html.includes(`<input type="hidden" name="sel" value="${key}">`), key);
  }
  const next = html.match(/href="([^"]*)" id="next-page"/)![1].replaceAll("&amp;", "&");
  assert.deepEqual(new URL(next, "http://x").searchParams.getAll("sel"), keys);
  assert.match(next, /sort=test\.rmse/);
});

Deno.test("archived runs: listed by the API and the page, restored as archive --restore does", async () => {
  const { dirs, json, call } = setUp();
  const id = dirs[2].split("/").at(-1)!;
  assert.deepEqual((await json("/api/archived")).data.runs, []);
  assert.equal((await json(`/api/runs/svd-sweep/${id}/archive`, { method: "POST" })).status, 200);
  assert.deepEqual((await json("/api/archived")).data.runs, [{ experiment: "svd-sweep", id }]);
  assert.match((await call("/archived")).body, new RegExp(`data-archived="svd-sweep/${id}"`));
  assert.equal((await json("/api/runs?experiment=svd-sweep")).data.matched, RUNS - 1);

  const restored = await json(`/api/archived/svd-sweep/${id}/restore`, { method: "POST" });
  assert.equal(restored.status, 200);
  assert.equal(restored.data.restored, Deno.realPathSync(dirs[2]));
  assert.equal((await json("/api/runs?experiment=svd-sweep")).data.matched, RUNS);
  assert.deepEqual((await json("/api/archived")).data.runs, []);
  // Nothing archived by that name (any more), or a name that is no run: not found.
  const again = await json(`/api/archived/svd-sweep/${id}/restore`, { method: "POST" });
  assert.equal(again.status, 404);
  const traversal = await json(`/api/archived/..%2F..%2Fetc/${id}/restore`, { method: "POST" });
  assert.equal(traversal.status, 404);
  // The page's form: restores, then says so.
  await json(`/api/runs/svd-sweep/${id}/archive`, { method: "POST" });
  const form = await call(`/archived/svd-sweep/${id}/restore`, { method: "POST" });
  assert.equal(form.status, 303);
  assert.ok(Deno.statSync(dirs[2]).isDirectory);
});
