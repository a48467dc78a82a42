/**
 * A local sweep keeps sweep.json current while it runs (what the results browser's live
 * sweep page follows): watched from outside, the record shows a trial running and
 * `finished: null` before it shows the finished sweep.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");

interface Snapshot {
  finished: string | null;
  statuses: string[];
}

Deno.test("sweep: sweep.json shows running trials and no end until the sweep ends", async () => {
  const work = tempDir("sweep-live-");
  const experimentDir = join(work, "results", "toppop");
  Deno.mkdirSync(experimentDir, { recursive: true });
  const seen: Snapshot[] = [];
  const watcher = Deno.watchFs(experimentDir, { recursive: true });
  const watching = (async () => {
    for await (const event of watcher) {
      for (const path of event.paths) {
        if (!path.endsWith("sweep.json")) continue;
        try {
          const record = JSON.parse(Deno.readTextFileSync(path));
          seen.push({
            finished: record.finished,
            statuses: record.trials.map((t: { status: string }) => t.status),
          });
        } catch {
          // replaced again meanwhile: the next event reads it
        }
      }
    }
  })();
  const { code, stderr } = await runCli([
    "sweep",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    "data.scale=tiny",
    "--set",
    "model.k=5,10",
    "--jobs",
    "1",
    "--cache-dir",
    join(work, "cache"),
    "--results-dir",
    join(work, "results"),
  ], { config: true });
  watcher.close();
  await watching;
  assert.equal(code, 0, stderr);
  const live = seen.filter((s) => s.finished === null);
  assert.ok(live.length > 0, `a record before the end: ${JSON.stringify(seen)}`);
  assert.ok(
    live.some((s) => s.statuses.includes("running")),
    `a trial seen running: ${JSON.stringify(seen)}`,
  );
  const final = JSON.parse(
    Deno.readTextFileSync(
      join(
        experimentDir,
        ".sweeps",
        [...Deno.readDirSync(join(experimentDir, ".sweeps"))][0].name,
        "sweep.json",
      ),
    ),
  );
  assert.notEqual(final.finished, null);
  assert.deepEqual(final.trials.map((t: { status: string }) => t.status), ["ran", "ran"]);
});
