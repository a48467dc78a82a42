/**
 * `gc [--cache-dir DIR] [--results-dir DIR…] [--dry-run] [--keep-checkpoints]`: artifacts no
 * kept run uses, and checkpoints of unfinished steps that no run is computing.
 */
import type { Command } from "commander";
import { collectGarbage, type GcEntry, type GcReport } from "../cache/gc.ts";
import { ageText, type CheckpointEntry } from "../cache/gc_checkpoints.ts";
import { defaultCacheDir, defaultResultsDir } from "../paths.ts";
import { resolveOutputPath } from "../spec/user_paths.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerGc(program: Command): void {
  program
    .command("gc")
    .description(
      "remove cached artifacts that no run (archived ones included) references; --dry-run lists them",
    )
    .option("--cache-dir <dir>", "cache folder (default .cache/, or $RECSYS_CACHE)")
    .option(
      "--results-dir <dir>",
      "a results folder whose runs use this cache (repeatable; default results/, or $RECSYS_RESULTS)",
      collect,
      [],
    )
    .option("--dry-run", "list what would be removed, and how many bytes; remove nothing")
    .option(
      "--keep-checkpoints",
      "keep the checkpoints of unfinished fine-tuning steps (to resume those runs later)",
    )
    .action(async (opts) => {
      const resultsDirs = (opts.resultsDir as string[]).length
        ? (opts.resultsDir as string[]).map(resolveOutputPath)
        : [defaultResultsDir()];
      const report = await collectGarbage({
        cacheDir: opts.cacheDir === undefined
          ? defaultCacheDir()
          : resolveOutputPath(opts.cacheDir),
        resultsDirs,
        dryRun: Boolean(opts.dryRun),
        keepCheckpoints: Boolean(opts.keepCheckpoints),
      });
      console.log(gcSummary(report, resultsDirs));
    });
}

/** What gc did (or would do), for people: the artifacts removed, then the totals. */
export function gcSummary(report: GcReport, resultsDirs: string[]): string {
  const verb = report.dryRun ? "would remove" : "removed";
  const lines = report.removed.map((e) => `${verb}  ${entryLine(e)}`);
  lines.push(
    `${verb} ${count(report.removed.length, "artifact")} (${bytesText(report.removedBytes)}); ` +
      `kept ${count(report.kept.length, "artifact")} (${bytesText(report.keptBytes)}), ` +
      `${count(report.runsRead, "run")} read in ${resultsDirs.join(", ")}`,
  );
  const locked = report.kept.filter((e) => e.reason === "its step lock is live").length;
  if (locked) {
    lines.push(`kept ${count(locked, "artifact")} whose step lock is live (a run uses it)`);
  }
  const { live, staleRemoved } = report.runsInProgress;
  if (live.length) {
    lines.push(
      `kept what ${count(live.length, "run")} in progress ${live.length === 1 ? "uses" : "use"} ` +
        `(marked by ${live.join(", ")}; a mark left by a run on another host that ended ` +
        "can be removed by hand)",
    );
  }
  if (staleRemoved) lines.push(`removed ${count(staleRemoved, "mark")} of runs that are gone`);
  if (report.unrecordedRuns.length) {
    const shown = report.unrecordedRuns.slice(0, 5).join(", ");
    const more = report.unrecordedRuns.length > 5 ? ", …" : "";
    lines.push(
      `kept everything: ${count(report.unrecordedRuns.length, "run")} ` +
        `${report.unrecordedRuns.length === 1 ? "does" : "do"} not record ` +
        `which artifacts ${report.unrecordedRuns.length === 1 ? "it" : "they"} used ` +
        `(run.json missing, unreadable or from an older version): ${shown}${more}; ` +
        "delete or re-run them to let gc work",
    );
  }
  lines.push(...checkpointLines(report, verb));
  const { pruned, left } = report.scratch;
  if (pruned || left) {
    lines.push(
      `scratch folders: ${pruned} pruned (lease expired), ${left} left (in use` +
        `${report.dryRun ? ", or not judged in a dry run" : ""})`,
    );
  }
  return lines.join("\n");
}

/** Checkpoints of unfinished steps, a group of their own (none: no lines). */
function checkpointLines(report: GcReport, verb: string): string[] {
  const { removed, kept, removedBytes, keptBytes } = report.checkpoints;
  if (!removed.length && !kept.length) return [];
  const now = Date.now();
  const lines = [
    "checkpoints of unfinished steps (resume state of killed runs):",
    ...removed.map((e) => `${verb}  ${checkpointLine(e, now)}`),
    ...kept.map((e) => `kept  ${checkpointLine(e, now)}  (${e.reason})`),
    `${verb} ${count(removed.length, "checkpoint folder")} (${bytesText(removedBytes)}); ` +
    `kept ${kept.length} (${bytesText(keptBytes)})`,
  ];
  if (removed.some((e) => e.reason !== "left by an interrupted gc")) {
    lines.push("(--keep-checkpoints keeps them, to resume those runs with the same settings)");
  }
  return lines;
}

function checkpointLine(entry: CheckpointEntry, now: number): string {
  const owner = entry.step === null
    ? "step unknown"
    : `${entry.step}${entry.name && entry.name !== entry.step ? ` (${entry.name})` : ""}` +
      (entry.run ? `, run ${entry.run}` : "");
  const age = entry.modified === null
    ? "empty"
    : `${ageText(now - Date.parse(entry.modified))} old`;
  return `${entry.fingerprint.slice(0, 16)}  ${bytesText(entry.bytes).padStart(10)}  ` +
    `${age.padEnd(10)} ${owner}`;
}

function entryLine(entry: GcEntry): string {
  const why = entry.reason === "unreferenced" ? "" : `  (${entry.reason})`;
  return `${entry.fingerprint.slice(0, 16)}  ${(entry.step ?? "?").padEnd(14)} ` +
    `${bytesText(entry.bytes).padStart(10)}${why}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** 1234567 -> "1.2 MB" (decimal units, as `du --si` and file browsers show them). */
export function bytesText(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
