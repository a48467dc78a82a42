/**
 * The results browser's page frame: the reports' look (runners/report/html.ts) with a
 * navigation bar and the few styles of the interactive tables and forms.
 */
import { escapeHtml, page } from "../../report/html.ts";

export { escapeHtml };

const APP_STYLE = `<link rel="icon" href="data:,">
<style>
main { max-width: none; padding: 16px 24px 48px; }
nav.top { display: flex; gap: 18px; align-items: baseline; padding: 10px 24px; background: #1f2933; }
nav.top a { color: #e4e7eb; text-decoration: none; font-weight: 600; }
nav.top a.brand { color: #fff; margin-right: 12px; }
nav.crumbs { color: var(--muted); font-size: 13px; margin-bottom: 8px; }
nav.crumbs a { color: var(--accent); }
form.query { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; margin: 8px 0 12px; }
form.query label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.query textarea { font: 13px ui-monospace, monospace; width: 260px; height: 3.2em; }
.columns { max-height: 220px; overflow-y: auto; columns: 3; font-size: 13px; padding: 6px;
  background: var(--card); border: 1px solid var(--line); }
.columns label { display: block; flex-direction: row; color: var(--ink); white-space: nowrap; }
table.runs td, table.runs th { padding: 4px 8px; font-size: 13px; }
table.runs td { max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
table.runs th a { color: inherit; text-decoration: none; }
/* A wide table scrolls inside its box (.table-wrap), never the page; the checkbox and run id
   stay in view while it does. */
.table-wrap { max-width: 100%; }
table.runs tr > :nth-child(-n+2) { position: sticky; z-index: 1; background: var(--card); }
table.runs tr > :first-child { left: 0; width: 36px; min-width: 36px; max-width: 36px;
  text-overflow: clip; }
table.runs tr > :nth-child(2) { left: 36px; box-shadow: inset -1px 0 0 var(--line); }
table.runs thead th:nth-child(-n+2) { background: #f0f4f8; }
table.runs th.sorted { background: #dbe7ff; }
td.best { font-weight: 700; color: var(--accent); }
.pager { display: flex; gap: 12px; align-items: center; margin: 10px 0; font-size: 14px; }
.error { background: #fde8e8; color: #9b1c1c; border: 1px solid #f8b4b4; border-radius: 8px;
  padding: 8px 12px; white-space: pre-wrap; }
.tagchip { display: inline-block; background: #e6efff; color: #1d4ed8; border-radius: 10px;
  padding: 0 8px; margin-right: 4px; font-size: 12px; font-weight: 600; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 14px; margin: 12px 0; }
.panel form { display: inline-flex; gap: 6px; margin: 4px 8px 4px 0; }
progress { width: 320px; height: 14px; vertical-align: middle; }
.status-failed, .status-killed, .status-cancelled { color: #9b1c1c; font-weight: 700; }
.status-running { color: #1d4ed8; font-weight: 700; }
pre.log { max-height: 240px; overflow: auto; margin: 4px 0; font-size: 12px; }
</style>`;

/** A browser page: the navigation, then `body`. */
export function appPage(title: string, body: string, crumbs: Array<[string, string?]> = []) {
  const trail = crumbs.length
    ? `<nav class="crumbs">${
      crumbs.map(([label, href]) =>
        href ? `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>` : escapeHtml(label)
      ).join(" / ")
    }</nav>`
    : "";
  const nav = `<nav class="top"><a class="brand" href="/">recsys results</a>` +
    `<a href="/">Experiments</a><a href="/runs">All runs</a><a href="/archived">Archived</a>` +
    `<a href="/gc">Cache</a></nav>`;
  return page(title, `${trail}\n${body}`, APP_STYLE).replace("<main>", `${nav}\n<main>`);
}

/** `/path?a=1&b=2` from parts, skipping empty values; arrays repeat the key. */
export function href(
  path: string,
  params: Record<string, string | number | boolean | string[] | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "" || value === false) continue;
    if (Array.isArray(value)) { for (const v of value) search.append(key, v); }
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function runHref(experiment: string, id: string): string {
  return `/runs/${encodeURIComponent(experiment)}/${encodeURIComponent(id)}`;
}

export function errorBox(message: string): string {
  return `<div class="error" role="alert">${escapeHtml(message)}</div>`;
}
