/**
 * The cache page: what `gc --dry-run` would remove (artifacts no kept run references) and how
 * much, with a button that runs the same `gc` for real.
 */
import type { GcReport } from "../actions.ts";
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
  const button = report.removed.length
    ? `<form method="post" action="/gc" onsubmit="return confirm('Remove these artifacts?')">` +
      `<button type="submit" id="gc-button">Remove ${report.removed.length} artifacts (${
        formatBytes(report.removedBytes)
      })</button></form>`
    : "";
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
    button,
    rows.length
      ? htmlTable(["artifact", "step", "size", "why"], rows, { numeric: [2] })
      : '<p class="note">Nothing to remove.</p>',
  ];
  return appPage("Cache", body.join("\n"), [["experiments", "/"], ["cache"]]);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
