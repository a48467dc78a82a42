/**
 * The cache page: what `gc --dry-run` would remove (artifacts no kept run references, and
 * checkpoints of unfinished steps no run is computing) and how much, with a button that runs
 * the same `gc` for real, and a box that keeps the checkpoints (`--keep-checkpoints`).
 */
import type { GcReport } from "../actions.ts";
import { ageText, type CheckpointEntry } from "../../cache/gc_checkpoints.ts";
import { htmlTable } from "../../report/html.ts";
import { appPage, escapeHtml } from "./layout.ts";

export function gcPageHtml(report: GcReport, removedBefore?: string): string {
  const rows = report.removed.map((e) => [
    { html: `<code>${escapeHtml(e.fingerprint.slice(0, 16))}</code>` },
    e.step ?? "(no manifest)",
    formatBytes(e.bytes),
    e.reason,
  ]);
  const done = removedBefore
    ? `<p class="panel" id="gc-done">Removed ${escapeHtml(removedBefore)}.</p>`
    : "";
  const checkpoints = report.checkpoints;
  const body = [
    "<h1>Cache</h1>",
    done,
    `<p class="note">${escapeHtml(report.cacheDir)}: ${report.runsRead} runs read; ` +
    `${report.kept.length} artifacts kept (${formatBytes(report.keptBytes)}), ` +
    `${report.removed.length} no kept run references (${formatBytes(report.removedBytes)}).` +
    (report.unrecordedRuns.length
      ? ` ${report.unrecordedRuns.length} runs do not record their steps: nothing is removed.`
      : "") +
    "</p>",
    removeForm(report),
    "<h2>Artifacts</h2>",
    rows.length
      ? htmlTable(["artifact", "step", "size", "why"], rows, { numeric: [2] })
      : '<p class="note">Nothing to remove.</p>',
    '<h2 id="checkpoints">Checkpoints of unfinished steps</h2>',
    `<p class="note">Resume state of fine-tuning runs that were killed: ` +
    `${checkpoints.removed.length} no run is computing ` +
    `(${formatBytes(checkpoints.removedBytes)}), ${checkpoints.kept.length} kept ` +
    `(${formatBytes(checkpoints.keptBytes)}). A run with the same settings resumes from ` +
    "them; tick the box above to keep them.</p>",
    checkpointTable([...checkpoints.removed, ...checkpoints.kept], report.checkpoints.removed),
  ];
  return appPage("Cache", body.join("\n"), [["experiments", "/"], ["cache"]]);
}

function removeForm(report: GcReport): string {
  const artifacts = report.removed.length;
  const folders = report.checkpoints.removed.length;
  if (!artifacts && !folders) return "";
  const what = [
    artifacts ? `${artifacts} artifacts (${formatBytes(report.removedBytes)})` : "",
    folders
      ? `${folders} checkpoint folders (${formatBytes(report.checkpoints.removedBytes)})`
      : "",
  ].filter(Boolean).join(" and ");
  const keepBox = folders
    ? '<label><input type="checkbox" name="keep_checkpoints" id="gc-keep-checkpoints"> ' +
      "keep checkpoints of unfinished steps (to resume those runs later)</label> "
    : "";
  return `<form method="post" action="/gc" onsubmit="return confirm('Remove what is listed?')">` +
    `${keepBox}<button type="submit" id="gc-button">Remove ${what}</button></form>`;
}

function checkpointTable(entries: CheckpointEntry[], removed: CheckpointEntry[]): string {
  if (!entries.length) return '<p class="note">None.</p>';
  const now = Date.now();
  const rows = entries.map((e) => [
    { html: `<code>${escapeHtml(e.fingerprint.slice(0, 16))}</code>` },
    e.step === null ? "(unknown)" : e.name && e.name !== e.step ? `${e.step} (${e.name})` : e.step,
    e.run ?? "",
    formatBytes(e.bytes),
    e.modified === null ? "" : `${ageText(now - Date.parse(e.modified))} ago`,
    removed.includes(e) ? `goes: ${e.reason}` : `kept: ${e.reason}`,
  ]);
  return htmlTable(["checkpoint", "step", "run", "size", "last saved", "why"], rows, {
    numeric: [3],
    className: "gc-checkpoints",
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
