/** The HTML pages and the form posts of the run page. */
import { dirname } from "node:path";
import { UserError } from "../errors.ts";
import { comparisonCharts } from "../report/comparison_report.ts";
import { readAnnotations } from "./actions.ts";
import {
  applyAction,
  archivedRuns,
  compareSelected,
  experimentSummaries,
  garbage,
  parseRunRef,
  readCompared,
  restoreRun,
  type RunAction,
  runsOf,
  type ServerContext,
} from "./operations.ts";
import { archivedPageHtml } from "./pages/archived_page.ts";
import { comparePageHtml } from "./pages/compare_page.ts";
import { gcPageHtml } from "./pages/gc_page.ts";
import { DEFAULT_METRIC, experimentsPageHtml, metricNames } from "./pages/experiments_page.ts";
import { runHref } from "./pages/layout.ts";
import { runPageHtml } from "./pages/run_page.ts";
import { runsPageHtml, runsQueryOf } from "./pages/runs_page.ts";
import { selectionOf } from "./pages/run_selection.ts";
import { sweepPageHtml, sweepsListHtml } from "./pages/sweeps_page.ts";
import { experimentDir, NotFound, runDir, runFile, runFiles } from "./safe_paths.ts";
import { html, redirect } from "./responses.ts";
import { followedView } from "./slurm_followers.ts";
import { listSweeps, readSweep, sweepFile } from "./sweeps.ts";

export async function handlePage(
  ctx: ServerContext,
  request: Request,
  url: URL,
  path: string[],
): Promise<Response | undefined> {
  const [first, a, b, c] = path;
  if (request.method === "POST") {
    if (first === "runs" && a && b && c && path.length === 4) {
      return await postAction(ctx, request, a, b, c);
    }
    if (first === "archived" && a && b && c === "restore" && path.length === 4) {
      restoreRun(ctx, { experiment: a, id: b });
      return redirect(`/archived?restored=${encodeURIComponent(`${a}/${b}`)}`);
    }
    if (first === "gc" && path.length === 1) {
      // The form's box; a bare POST (no form) removes what the page lists.
      const form = request.headers.get("content-type")?.includes("form")
        ? await request.formData()
        : undefined;
      const keep = form?.get("keep_checkpoints") != null;
      const report = await garbage(ctx, false, keep);
      const { removed, removedBytes } = report.checkpoints;
      const done = `${report.removed.length} artifacts (${report.removedBytes} bytes) and ` +
        `${removed.length} checkpoint folders (${removedBytes} bytes)`;
      return redirect(`/gc?removed=${encodeURIComponent(done)}`);
    }
    return undefined;
  }
  if (first === "" && path.length === 1) {
    const metric = url.searchParams.get("metric") || DEFAULT_METRIC;
    return html(
      experimentsPageHtml(experimentSummaries(ctx, metric), metric, metricNames(ctx.index.runs())),
    );
  }
  if (first === "runs" && path.length === 1) return runsPage(ctx, url, undefined);
  if (first === "experiments" && a && b === "runs" && path.length === 3) {
    return runsPage(ctx, url, a);
  }
  if (first === "experiments" && a && b === "sweeps" && path.length === 3) {
    experimentDir(ctx.root, a);
    return html(sweepsListHtml(a, listSweeps(ctx.root, a)));
  }
  if (first === "experiments" && a && b === "sweeps" && c && path.length === 4) {
    experimentDir(ctx.root, a);
    const sweep = readSweep(ctx.root, a, c);
    if (!sweep) throw new NotFound(`no sweep '${a}/${c}'`);
    const follow = ctx.followers.state(dirname(sweepFile(ctx.root, a, c)));
    return html(sweepPageHtml(followedView(sweep, follow)));
  }
  if (first === "runs" && a && b && path.length === 3) {
    const dir = runDir(ctx.root, a, b);
    return html(await runPageHtml(a, b, dir, readAnnotations(dir), runFiles(dir)));
  }
  if (first === "compare" && path.length === 1) return await comparePage(ctx, url);
  if (first === "archived" && path.length === 1) {
    return html(archivedPageHtml(archivedRuns(ctx), url.searchParams.get("restored") ?? undefined));
  }
  if (first === "gc" && path.length === 1) {
    return html(gcPageHtml(await garbage(ctx, true), url.searchParams.get("removed") ?? undefined));
  }
  if (first === "files" && a && b && c && path.length === 4) {
    const file = runFile(ctx.root, a, b, c);
    return new Response((await Deno.open(file)).readable, {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${c.replace(/[^\w.@+-]/g, "_")}"`,
        "x-content-type-options": "nosniff",
      },
    });
  }
  return undefined;
}

function runsPage(ctx: ServerContext, url: URL, experiment: string | undefined): Response {
  const query = runsQueryOf(url);
  const selected = selectionOf(url);
  try {
    return html(runsPageHtml(experiment, query, runsOf(ctx, experiment, query), selected));
  } catch (error) {
    // A bad condition shows the form again with the message, as compare would say it.
    if (!(error instanceof UserError)) throw error;
    return html(runsPageHtml(experiment, query, { error: error.describe() }, selected), 400);
  }
}

async function comparePage(ctx: ServerContext, url: URL): Promise<Response> {
  const refs = url.searchParams.getAll("run").map((text) => parseRunRef(text));
  const baselineText = url.searchParams.get("baseline");
  const baseline = baselineText ? parseRunRef(baselineText, "baseline") : refs[0];
  if (!baseline) throw new UserError("choose at least two runs to compare", { path: "run" });
  const part = url.searchParams.get("part") || "test";
  const { report, dirs } = await compareSelected(ctx, refs, baseline, part);
  const charts = await comparisonCharts(readCompared(dirs));
  return html(comparePageHtml(refs, baseline, part, report, charts));
}

async function postAction(
  ctx: ServerContext,
  request: Request,
  experiment: string,
  id: string,
  verb: string,
): Promise<Response | undefined> {
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const action: RunAction | undefined = verb === "tags"
    ? {
      kind: "tags",
      add: field("add") ? field("add").split(/[\s,]+/) : [],
      remove: form.getAll("remove").map(String),
    }
    : verb === "note"
    ? { kind: "note", note: field("note") }
    : verb === "archive"
    ? { kind: "archive" }
    : verb === "delete"
    ? { kind: "delete" }
    : undefined;
  if (!action) return undefined;
  await applyAction(ctx, { experiment, id }, action);
  return redirect(
    action.kind === "archive" || action.kind === "delete"
      ? `/experiments/${encodeURIComponent(experiment)}/runs`
      : runHref(experiment, id),
  );
}
