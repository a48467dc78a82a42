/**
 * Sweeps of an experiment, and one sweep's trials. A running sweep's page listens to the
 * server's event stream (sent whenever sweep.json changes) and redraws its progress, time
 * left and trials; failed trials show the end of their log. For a Slurm sweep the stream
 * also makes the server ask Slurm, and the page says whether it can.
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
const progressHtml = ${progressHtml.toString()};
const trialRowHtml = ${trialRowHtml.toString()};
if (${sweep.running}) {
  const source = new EventSource(${JSON.stringify(events)});
  source.addEventListener("sweep", (event) => {
    const s = JSON.parse(event.data);
    document.getElementById("progress").innerHTML = progressHtml(s);
    document.getElementById("trials").innerHTML = s.trials.map((t) => trialRowHtml(s, t)).join("");
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

// The server renders the first view and the page's script redraws later ones with the same
// two functions, sent as their own source (self-contained: no imports, no closures).

function progressHtml(s: SweepView): string {
  const failed = s.failed ? ` · <span class="status-failed">${s.failed} failed</span>` : "";
  const left = !s.running
    ? " · finished"
    : s.eta === null
    ? " · time left unknown yet"
    : ` · about ${Math.ceil(s.eta)} s left`;
  // A Slurm sweep still queued moves only while the server can ask Slurm: say whether it can.
  const esc = (text: unknown) =>
    String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const job = `Slurm job ${esc(s.slurm_job)}`;
  const follow = !s.running || s.slurm_job === null || !s.follow
    ? ""
    : s.follow.state === "following"
    ? `<div id="follow" class="note">following ${job} (asking Slurm while this page is open)</div>`
    : `<div id="follow" class="status-failed">cannot follow ${job}: ${esc(s.follow.message)}. ` +
      "Showing the last recorded state.</div>";
  return `<progress max="${s.total}" value="${s.completed}"></progress> ` +
    `<span id="done">${s.completed} of ${s.total} trials done</span>${failed}${left}${follow}`;
}

function trialRowHtml(s: SweepView, t: SweepTrialView): string {
  const esc = (text: unknown) =>
    String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const run = t.run_id
    ? `<a href="/runs/${encodeURIComponent(s.experiment)}/${encodeURIComponent(t.run_id)}">${
      esc(t.run_id)
    }</a>`
    : "";
  const error = t.error ? `<pre class="log">${esc(t.error)}</pre>` : esc(t.note ?? "");
  return `<tr data-trial="${t.trial}"><td class="num">${t.trial}</td>` +
    `<td>${esc(t.overrides.join(" "))}</td>` +
    `<td class="status-${esc(t.status)}">${esc(t.status)}</td>` +
    `<td class="num">${t.seconds === null ? "" : t.seconds.toFixed(1)}</td>` +
    `<td>${run}</td><td>${error}</td></tr>`;
}

function trialsHtml(sweep: SweepView): string {
  return sweep.trials.map((t) => trialRowHtml(sweep, t)).join("");
}
