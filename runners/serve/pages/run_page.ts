/**
 * A run's page: its tags and note (editable), its files to download, the archive and delete
 * actions, then the run report itself (metrics with intervals, charts, steps with cache
 * status, times and logs, spec, environment), built by the report code.
 */
import { readRunReportData } from "../../report/run_report_data.ts";
import { runReportBody } from "../../report/run_report.ts";
import type { Annotations } from "../actions.ts";
import { appPage, escapeHtml, runHref } from "./layout.ts";

export interface RunFile {
  name: string;
  bytes: number;
}

export async function runPageHtml(
  experiment: string,
  id: string,
  dir: string,
  annotations: Annotations,
  files: RunFile[],
): Promise<string> {
  const base = runHref(experiment, id);
  const tags = annotations.tags.map((tag) =>
    `<form method="post" action="${escapeHtml(base)}/tags"><span class="tagchip">${
      escapeHtml(tag)
    }</span><input type="hidden" name="remove" value="${escapeHtml(tag)}">` +
    `<button type="submit" aria-label="remove tag ${escapeHtml(tag)}">×</button></form>`
  ).join("");
  const panel = `<div class="panel" id="annotations">
<div><strong>Tags</strong> ${tags || '<span class="note">none</span>'}
<form method="post" action="${
    escapeHtml(base)
  }/tags"><input name="add" id="tag-input" placeholder="new tag" required>
<button type="submit" id="tag-button">Add tag</button></form></div>
<form method="post" action="${escapeHtml(base)}/note"><label><strong>Note</strong>
<input name="note" id="note-input" size="60" value="${escapeHtml(annotations.note)}"></label>
<button type="submit">Save note</button></form>
<div><form method="post" action="${
    escapeHtml(base)
  }/archive" onsubmit="return confirm('Archive this run?')">
<button type="submit" id="archive-button">Archive run</button></form>
<form method="post" action="${
    escapeHtml(base)
  }/delete" onsubmit="return confirm('Delete this run folder for good?')">
<button type="submit" id="delete-button">Delete run</button></form></div>
</div>`;
  const fileList = `<div class="panel" id="files"><strong>Files</strong> ${
    files.map((f) =>
      `<a href="/files/${encodeURIComponent(experiment)}/${encodeURIComponent(id)}/${
        encodeURIComponent(f.name)
      }" download>${escapeHtml(f.name)}</a> <span class="note">${formatBytes(f.bytes)}</span>`
    ).join(" · ")
  }</div>`;
  const report = await runReportBody(readRunReportData(dir));
  const crumbs: Array<[string, string?]> = [
    ["experiments", "/"],
    [experiment, `/experiments/${encodeURIComponent(experiment)}/runs`],
    [id],
  ];
  return appPage(`${experiment} — ${id}`, [panel, fileList, report].join("\n"), crumbs);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
