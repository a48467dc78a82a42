/**
 * Sweeps of an experiment, and one sweep's trials. A running sweep's page listens to the
 * server's event stream (sent whenever sweep.json changes) and redraws its progress, time
 * left and trials; failed trials show the end of their log.
 */
import type { SweepTrialView, SweepView } from "../sweeps.ts";
import { appPage, escapeHtml } from "./layout.ts";

export function sweepsListHtml(experiment: string, sweeps: SweepView[]): string {
  const rows = sweeps.map((s) =>
    `<tr><td><a href="${escapeHtml(sweepHref(experiment, s.id))}">${escapeHtml(s.id)}</a></td>` +
    `<td>${escapeHtml(s.spec)}</td><td class="num">${s.completed}/${s.total}</td>` +
    `<td class="num">${s.failed}</td><td>${s.running ? "running" : "finished"}</td></tr>`
  ).join("\n");
  const body = `<h1>${escapeHtml(experiment)}: sweeps</h1>` +
    (sweeps.length
      ? `<div class="table-wrap"><table class="runs"><thead><tr><th>sweep</th><th>spec</th>` +
        `<th class="num">trials done</th><th class="num">failed</th><th>state</th></tr></thead>` +
        `<tbody>\n${rows}\n</tbody></table></div>`
      : '<p class="note">No sweeps recorded for this experiment.</p>');
  return appPage(`${experiment}: sweeps`, body, [["experiments", "/"], [experiment]]);
}

export function sweepHref(experiment: string, id: string): string {
  return `/experiments/${encodeURIComponent(experiment)}/sweeps/${encodeURIComponent(id)}`;
}

export function sweepPageHtml(sweep: SweepView): string {
  const events = `/api/sweeps/${encodeURIComponent(sweep.experiment)}/${
    encodeURIComponent(sweep.id)
  }/events`;
  const body = `<h1>Sweep ${escapeHtml(sweep.id)}</h1>
<p class="note">${escapeHtml(sweep.spec)} · started ${
    escapeHtml(sweep.started)
  } · ${sweep.jobs} at once</p>
<div class="panel" id="progress">${progressHtml(sweep)}</div>
<div class="table-wrap"><table class="runs"><thead><tr><th>trial</th><th>overrides</th>
<th>status</th><th class="num">seconds</th><th>run</th><th>error</th></tr></thead>
<tbody id="trials">${trialsHtml(sweep)}</tbody></table></div>
<script>
const esc = (t) => String(t ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"})[c]);
const progress = (s) => ${progressScript()};
const trialRow = (s, t) => ${trialRowScript()};
if (${sweep.running}) {
  const source = new EventSource(${JSON.stringify(events)});
  source.addEventListener("sweep", (event) => {
    const s = JSON.parse(event.data);
    document.getElementById("progress").innerHTML = progress(s);
    document.getElementById("trials").innerHTML = s.trials.map((t) => trialRow(s, t)).join("");
    document.body.dataset.live = s.running ? "listening" : "finished";
    if (!s.running) source.close();
  });
}
</script>`;
  return appPage(`Sweep ${sweep.id}`, body, [
    ["experiments", "/"],
    [sweep.experiment, `/experiments/${encodeURIComponent(sweep.experiment)}/sweeps`],
    [sweep.id],
  ]);
}

// The server renders the first view and the script redraws later ones: both from the same
// markup, written once here as a JS template (server side it runs through `new Function`).

function progressScript(): string {
  return '`<progress max="${s.total}" value="${s.completed}"></progress> ' +
    '<span id="done">${s.completed} of ${s.total} trials done</span>` + ' +
    '(s.failed ? ` · <span class="status-failed">${s.failed} failed</span>` : "") + ' +
    '(s.running ? (s.eta === null ? " · time left unknown yet" : ' +
    '` · about ${Math.ceil(s.eta)} s left`) : " · finished")';
}

function trialRowScript(): string {
  return '`<tr data-trial="${t.trial}"><td class="num">${t.trial}</td>' +
    '<td>${esc(t.overrides.join(" "))}</td>' +
    '<td class="status-${esc(t.status)}">${esc(t.status)}</td>' +
    '<td class="num">${t.seconds === null ? "" : t.seconds.toFixed(1)}</td>' +
    '<td>${t.run_id ? `<a href="/runs/${encodeURIComponent(s.experiment)}/' +
    '${encodeURIComponent(t.run_id)}">${esc(t.run_id)}</a>` : ""}</td>' +
    '<td>${t.error ? `<pre class="log">${esc(t.error)}</pre>` : esc(t.note ?? "")}</td></tr>`';
}

const render = {
  progress: new Function("s", `return ${progressScript()};`) as (s: SweepView) => string,
  trialRow: new Function("esc", "s", "t", `return ${trialRowScript()};`) as (
    esc: (t: unknown) => string,
    s: SweepView,
    t: SweepTrialView,
  ) => string,
};

function progressHtml(sweep: SweepView): string {
  return render.progress(sweep);
}

function trialsHtml(sweep: SweepView): string {
  const esc = (t: unknown) => escapeHtml(String(t ?? ""));
  return sweep.trials.map((t) => render.trialRow(esc, sweep, t)).join("");
}
