/**
 * The archived runs (`<results>/.archive/`), which every other page leaves out, each with a
 * Restore button: the same move as `deno task archive --restore`.
 */
import type { RunRef } from "../operations.ts";
import { appPage, escapeHtml } from "./layout.ts";

export function archivedPageHtml(runs: RunRef[], restored?: string): string {
  const rows = runs.map(({ experiment, id }) => {
    const key = `${experiment}/${id}`;
    const action = `/archived/${encodeURIComponent(experiment)}/${encodeURIComponent(id)}/restore`;
    return `<tr data-archived="${escapeHtml(key)}"><td>${escapeHtml(experiment)}</td>` +
      `<td>${escapeHtml(id)}</td><td><form method="post" action="${escapeHtml(action)}">` +
      `<button type="submit" class="restore" aria-label="restore ${escapeHtml(key)}">Restore` +
      `</button></form></td></tr>`;
  }).join("\n");
  const body = [
    `<h1>Archived runs</h1>`,
    `<p class="lead">Runs moved to <code>.archive/</code> by Archive (or <code>deno task archive` +
    `</code>): out of every listing, comparison and sweep resume until restored.</p>`,
    restored ? `<p class="note" id="restored">Restored ${escapeHtml(restored)}.</p>` : "",
    runs.length
      ? `<div class="table-wrap"><table id="archived"><thead><tr><th>experiment</th>` +
        `<th>run</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`
      : `<p class="note" id="archived">No archived runs.</p>`,
  ];
  return appPage("Archived runs", body.join("\n"), [["experiments", "/"], ["archived"]]);
}
