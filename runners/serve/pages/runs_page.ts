/**
 * The runs table: one page of rows, sortable headers, `compare`'s filter language, a column
 * chooser, and checkboxes that send the chosen runs to the compare page (run_selection.ts).
 */
import { formatMetricCell } from "../../results.ts";
import { formatNumber } from "../../report/html.ts";
import { formatParam, type ParamValue } from "../../run_folder/flatten_spec.ts";
import type { IndexedRun } from "../results_index.ts";
import { type RunsColumn, type RunsPage, type RunsQuery, runValue } from "../runs_query.ts";
import { appPage, errorBox, escapeHtml, href, runHref } from "./layout.ts";
import { selectBox, SELECTION_SCRIPT, selectionBar } from "./run_selection.ts";

/** The query a URL asks for: textareas hold one condition per line. */
export function runsQueryOf(url: URL): RunsQuery {
  const lines = (key: string) =>
    url.searchParams.getAll(key).flatMap((v) => v.split("\n")).map((v) => v.trim())
      .filter(Boolean);
  const number = (key: string) => {
    const value = Number(url.searchParams.get(key));
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  return {
    filter: lines("filter"),
    where: lines("where"),
    sort: url.searchParams.get("sort") || undefined,
    desc: url.searchParams.has("sort") ? url.searchParams.get("desc") === "1" : undefined,
    page: number("page"),
    size: number("size"),
    columns: url.searchParams.getAll("col"),
  };
}

export function runsPageHtml(
  experiment: string | undefined,
  query: RunsQuery,
  result: RunsPage | { error: string },
  selected: string[] = [],
): string {
  const base = experiment ? `/experiments/${encodeURIComponent(experiment)}/runs` : "/runs";
  const title = experiment ? `${experiment}: runs` : "All runs";
  const crumbs: Array<[string, string?]> = [["experiments", "/"], [experiment ?? "all runs"]];
  const form = queryForm(base, query, selected, "error" in result ? undefined : result);
  if ("error" in result) {
    return appPage(title, `<h1>${escapeHtml(title)}</h1>${form}${errorBox(result.error)}`, crumbs);
  }
  const state = {
    filter: query.filter?.join("\n"),
    where: query.where?.join("\n"),
    size: query.size,
    col: query.columns,
    sel: selected,
  };
  const chosen = new Set(selected);
  const columns = result.columns.filter((c) => result.shown.includes(c.name));
  const header = columns.map((c) => {
    const sorted = (query.sort ?? "run") === c.name;
    const desc = sorted ? !(query.desc ?? query.sort === undefined) : c.kind === "metric";
    const link = href(base, { ...state, sort: c.name, desc: desc ? "1" : "0" });
    const arrow = sorted ? ((query.desc ?? query.sort === undefined) ? " ▼" : " ▲") : "";
    return `<th${sorted ? ' class="sorted"' : ""} data-column="${escapeHtml(c.name)}">` +
      `<a href="${escapeHtml(link)}" data-keep-sel>${escapeHtml(c.name)}${arrow}</a></th>`;
  }).join("");
  const rows = result.rows.map((run) => {
    const cells = columns.map((c) => cell(run, c)).join("");
    const key = `${run.experiment}/${run.id}`;
    return `<tr data-run="${escapeHtml(key)}"><td>${
      selectBox(key, run.id, chosen)
    }</td>${cells}</tr>`;
  }).join("\n");
  const pager = pagerHtml(base, state, query, result);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    form,
    selectionBar(selected, result.matched, result.total),
    `<div class="table-wrap"><table class="runs"><thead><tr><th><input type="checkbox" ` +
    `id="select-page" aria-label="select this page"></th>${header}</tr></thead>` +
    `<tbody>\n${rows}\n</tbody></table></div>`,
    pager,
    SELECTION_SCRIPT,
  ];
  return appPage(title, body.join("\n"), crumbs);
}

function cell(run: IndexedRun, column: RunsColumn): string {
  if (column.kind === "run") {
    return `<td><a href="${escapeHtml(runHref(run.experiment, run.id))}">${
      escapeHtml(run.id)
    }</a></td>`;
  }
  if (column.kind === "metric") {
    const value = run.metrics.get(column.name);
    // The value alone keeps the table narrow; its interval shows on hover.
    const full = formatMetricCell(value, run.ci.get(column.name));
    const best = column.best !== undefined && value === column.best;
    return `<td class="num${best ? " best" : ""}" title="${escapeHtml(full)}">${
      escapeHtml(formatNumber(value))
    }</td>`;
  }
  if (column.name === "tags") {
    return `<td>${
      run.tags.map((t) => `<span class="tagchip">${escapeHtml(t)}</span>`).join("")
    }</td>`;
  }
  if (column.name === "started") {
    const text = run.started?.replace("T", " ").slice(0, 16) ?? "";
    return `<td title="${escapeHtml(run.started ?? "")}">${escapeHtml(text)}</td>`;
  }
  if (column.name === "seconds") {
    return `<td class="num">${run.seconds === undefined ? "" : run.seconds.toFixed(1)}</td>`;
  }
  const text = formatParam(runValue(run, column.name) as ParamValue | undefined);
  const title = column.name === "status" && run.error ? run.error : text;
  return `<td title="${escapeHtml(title)}">${escapeHtml(text)}</td>`;
}

function queryForm(
  base: string,
  query: RunsQuery,
  selected: string[],
  result?: RunsPage,
): string {
  const chooser = result
    ? `<details><summary>Columns (${result.shown.length} of ${result.columns.length})</summary>` +
      `<div class="columns">${
        result.columns.filter((c) => c.kind !== "run").map((c) =>
          `<label><input type="checkbox" name="col" value="${escapeHtml(c.name)}"${
            result.shown.includes(c.name) ? " checked" : ""
          }> ${escapeHtml(c.name)}</label>`
        ).join("")
      }</div></details>`
    : "";
  return `<form class="query" method="get" action="${escapeHtml(base)}">
<label>filter (spec fields, one per line)<textarea name="filter" placeholder="model.k=10">${
    escapeHtml(query.filter?.join("\n") ?? "")
  }</textarea></label>
<label>where (metrics, one per line)<textarea name="where" placeholder="test.ndcg@10>0.1">${
    escapeHtml(query.where?.join("\n") ?? "")
  }</textarea></label>
${query.sort ? `<input type="hidden" name="sort" value="${escapeHtml(query.sort)}">` : ""}
${query.sort ? `<input type="hidden" name="desc" value="${query.desc ? "1" : "0"}">` : ""}
<label>rows per page<input type="number" name="size" min="1" max="1000" value="${
    query.size ?? 50
  }"></label>
${chooser}
${selected.map((key) => `<input type="hidden" name="sel" value="${escapeHtml(key)}">`).join("")}
<button type="submit" id="apply">Apply</button>
</form>`;
}

function pagerHtml(
  base: string,
  state: Record<string, string | number | string[] | undefined>,
  query: RunsQuery,
  result: RunsPage,
): string {
  const at = (page: number) =>
    href(base, { ...state, sort: query.sort, desc: query.desc ? "1" : undefined, page });
  const prev = result.page > 1
    ? `<a href="${escapeHtml(at(result.page - 1))}" data-keep-sel>← previous</a>`
    : "";
  const next = result.page < result.pages
    ? `<a href="${escapeHtml(at(result.page + 1))}" id="next-page" data-keep-sel>next →</a>`
    : "";
  return `<div class="pager">${prev}<span>page ${result.page} of ${result.pages}</span>${next}</div>`;
}
