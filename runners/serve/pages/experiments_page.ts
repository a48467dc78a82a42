/**
 * The home page: every experiment with its description, number of runs, last run and the
 * best value of a chosen metric (which way is best comes from the metric registry).
 */
import { metricDirection } from "../../compare/metric_direction.ts";
import { formatNumber } from "../../report/html.ts";
import type { IndexedRun } from "../results_index.ts";
import { appPage, escapeHtml, href, runHref } from "./layout.ts";

export interface ExperimentSummary {
  name: string;
  description: string;
  runs: number;
  last?: { id: string; started?: string };
  best?: { id: string; value: number };
  sweeps: number;
}

export const DEFAULT_METRIC = "test.ndcg@10";

export function summarizeExperiment(
  name: string,
  runs: IndexedRun[],
  metric: string,
  sweeps: number,
): ExperimentSummary {
  const last = runs.at(-1);
  const direction = metricDirection(metric.slice(metric.indexOf(".") + 1));
  let best: ExperimentSummary["best"];
  for (const run of runs) {
    const value = run.metrics.get(metric);
    if (value === undefined || Number.isNaN(value)) continue;
    const better = best === undefined ||
      (direction === "lower" ? value < best.value : value > best.value);
    if (better) best = { id: run.id, value };
  }
  const description = last?.params.get("description");
  return {
    name,
    description: typeof description === "string" ? description : "",
    runs: runs.length,
    last: last && { id: last.id, started: last.started },
    best,
    sweeps,
  };
}

/** Every metric column some run has, for the metric chooser. */
export function metricNames(runs: IndexedRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of run.metrics.keys()) names.add(name);
  return [...names].sort();
}

export function experimentsPageHtml(
  summaries: ExperimentSummary[],
  metric: string,
  metrics: string[],
): string {
  const options = (metrics.includes(metric) ? metrics : [metric, ...metrics]).map((m) =>
    `<option${m === metric ? " selected" : ""}>${escapeHtml(m)}</option>`
  ).join("");
  const rows = summaries.map((s) => {
    const runs = `/experiments/${encodeURIComponent(s.name)}/runs`;
    const sweeps = `/experiments/${encodeURIComponent(s.name)}/sweeps`;
    return `<tr data-experiment="${escapeHtml(s.name)}">` +
      `<td><a href="${escapeHtml(runs)}">${escapeHtml(s.name)}</a></td>` +
      `<td>${escapeHtml(s.description)}</td><td class="num">${s.runs}</td>` +
      `<td>${
        s.last
          ? `<a href="${escapeHtml(runHref(s.name, s.last.id))}">${
            escapeHtml(s.last.started?.replace("T", " ").slice(0, 19) ?? s.last.id)
          }</a>`
          : ""
      }</td>` +
      `<td class="num">${
        s.best
          ? `<a href="${escapeHtml(runHref(s.name, s.best.id))}">${
            escapeHtml(formatNumber(s.best.value))
          }</a>`
          : ""
      }</td>` +
      `<td>${
        s.sweeps
          ? `<a href="${escapeHtml(sweeps)}">${s.sweeps} sweep${s.sweeps === 1 ? "" : "s"}</a>`
          : ""
      }</td></tr>`;
  }).join("\n");
  const body = [
    "<h1>Experiments</h1>",
    `<form class="query" method="get" action="/"><label>best value of` +
    `<select name="metric" onchange="this.form.submit()">${options}</select></label>` +
    `<noscript><button>Show</button></noscript></form>`,
    summaries.length
      ? `<div class="table-wrap"><table class="runs"><thead><tr><th>experiment</th>` +
        `<th>description</th><th class="num">runs</th><th>last run</th>` +
        `<th class="num">best ${escapeHtml(metric)}</th><th>sweeps</th></tr></thead>` +
        `<tbody>\n${rows}\n</tbody></table></div>`
      : `<p class="note">No experiment folders here yet.</p>`,
    `<p class="note"><a href="${
      escapeHtml(href("/runs", {}))
    }">All runs</a> of every experiment.</p>`,
  ];
  return appPage("Experiments", body.join("\n"));
}
