/**
 * The JSON API under `/api/`: what the pages show, for scripts, and the sweep event stream
 * the live sweep page listens to.
 */
import { dirname } from "node:path";
import { UserError } from "../errors.ts";
import { renderJson } from "../compare/render_text.ts";
import { readRun } from "../run_folder/read_run.ts";
import { readAnnotations } from "./actions.ts";
import {
  applyAction,
  archivedRuns,
  compareSelected,
  experimentSummaries,
  garbage,
  parseRunRef,
  restoreRun,
  type RunAction,
  runsOf,
  type ServerContext,
} from "./operations.ts";
import { runsQueryOf } from "./pages/runs_page.ts";
import { selectionOf } from "./pages/run_selection.ts";
import type { IndexedRun } from "./results_index.ts";
import { type RunsPage, runValue } from "./runs_query.ts";
import { experimentDir, NotFound, runDir, runFiles } from "./safe_paths.ts";
import { sweepEvents } from "./sweep_events.ts";
import { followedView } from "./slurm_followers.ts";
import { listSweeps, readSweep, sweepFile } from "./sweeps.ts";

/** How long one GET of a Slurm sweep keeps its poller on. */
const API_FOLLOW_MS = 30_000;

export async function handleApi(
  ctx: ServerContext,
  request: Request,
  url: URL,
  path: string[],
): Promise<Response | undefined> {
  const [first, a, b, c] = path;
  const method = request.method;
  if (method === "GET" && first === "experiments" && path.length === 1) {
    const metric = url.searchParams.get("metric") ?? undefined;
    return Response.json({ experiments: experimentSummaries(ctx, metric) });
  }
  if (method === "GET" && first === "runs" && path.length === 1) {
    const experiment = url.searchParams.get("experiment") ?? undefined;
    const page = runsOf(ctx, experiment, runsQueryOf(url));
    return Response.json(pageJson(page, selectionOf(url)));
  }
  if (first === "runs" && a && b && path.length === 3) {
    const dir = runDir(ctx.root, a, b);
    if (method === "DELETE") {
      return Response.json(await applyAction(ctx, { experiment: a, id: b }, { kind: "delete" }));
    }
    if (method !== "GET") return undefined;
    const run = readRun(dir, { record: true });
    return Response.json({
      experiment: a,
      id: b,
      spec: run.spec,
      metrics: run.metrics,
      uncertainty: run.uncertainty,
      record: run.record ?? null,
      annotations: readAnnotations(dir),
      files: runFiles(dir),
    });
  }
  if (method === "POST" && first === "runs" && a && b && c && path.length === 4) {
    const body = await jsonBody(request);
    const action = actionOf(c, body);
    if (!action) return undefined;
    return Response.json(await applyAction(ctx, { experiment: a, id: b }, action));
  }
  if (method === "GET" && first === "archived" && path.length === 1) {
    return Response.json({ runs: archivedRuns(ctx) });
  }
  if (method === "POST" && first === "archived" && a && b && c === "restore" && path.length === 4) {
    return Response.json(restoreRun(ctx, { experiment: a, id: b }));
  }
  if (method === "GET" && first === "compare" && path.length === 1) {
    const refs = url.searchParams.getAll("run").map((t) => parseRunRef(t));
    const baselineText = url.searchParams.get("baseline");
    const baseline = baselineText ? parseRunRef(baselineText, "baseline") : refs[0];
    if (!baseline) throw new UserError("choose at least two runs to compare", { path: "run" });
    const { report } = await compareSelected(
      ctx,
      refs,
      baseline,
      url.searchParams.get("part") || "test",
    );
    return new Response(renderJson(report), { headers: { "content-type": "application/json" } });
  }
  if (first === "gc" && path.length === 1 && (method === "GET" || method === "POST")) {
    const keep = url.searchParams.get("keep_checkpoints");
    return Response.json(await garbage(ctx, method === "GET", keep === "1" || keep === "true"));
  }
  if (method === "GET" && first === "sweeps" && a) {
    experimentDir(ctx.root, a);
    if (path.length === 2) return Response.json({ sweeps: listSweeps(ctx.root, a) });
    if (b && path.length === 3) {
      const sweep = readSweep(ctx.root, a, b);
      if (!sweep) throw new NotFound(`no sweep '${a}/${b}'`);
      // A script polling this URL follows a Slurm sweep as the page's event stream does.
      const dir = dirname(sweepFile(ctx.root, a, b));
      if (sweep.running && sweep.slurm_job !== null) ctx.followers.touch(dir, API_FOLLOW_MS);
      return Response.json(followedView(sweep, ctx.followers.state(dir)));
    }
    if (b && c === "events" && path.length === 4) {
      return sweepEvents(ctx.root, a, b, ctx.followers);
    }
  }
  return undefined;
}

/** `selected` echoes the URL's `sel` (kept across pages); each row says if it is one of them. */
function pageJson(page: RunsPage, selected: string[]) {
  const chosen = new Set(selected);
  return {
    total: page.total,
    matched: page.matched,
    page: page.page,
    pages: page.pages,
    size: page.size,
    columns: page.columns,
    shown: page.shown,
    selected,
    rows: page.rows.map((run) => ({
      ...rowJson(run, page.shown),
      selected: chosen.has(`${run.experiment}/${run.id}`),
    })),
  };
}

function rowJson(run: IndexedRun, shown: string[]) {
  const values: Record<string, unknown> = {};
  for (const column of shown) {
    const value = runValue(run, column);
    values[column] = typeof value === "number" && Number.isNaN(value) ? null : value ?? null;
  }
  return { experiment: run.experiment, id: run.id, values };
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    const body = JSON.parse(text);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body;
  } catch {
    // reported below
  }
  throw new UserError("expected a JSON object as the request body");
}

function actionOf(verb: string, body: Record<string, unknown>): RunAction | undefined {
  const strings = (value: unknown, name: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new UserError(`expected a list of strings`, { path: name });
    return value.map(String);
  };
  switch (verb) {
    case "tags":
      return {
        kind: "tags",
        add: strings(body.add, "add"),
        remove: strings(body.remove, "remove"),
      };
    case "note":
      if (typeof body.note !== "string") throw new UserError("expected a string", { path: "note" });
      return { kind: "note", note: body.note };
    case "archive":
      return { kind: "archive" };
    case "delete":
      return { kind: "delete" };
  }
  return undefined;
}
