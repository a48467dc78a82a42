/**
 * The results browser's HTTP handler: routes, the guard on actions, and errors as pages or
 * JSON. Pages live under `/`, the same data as JSON under `/api/`; both call operations.ts.
 */
import { UserError } from "../errors.ts";
import { defaultCacheDir } from "../run.ts";
import { handleApi } from "./api_routes.ts";
import type { ServerContext } from "./operations.ts";
import { handlePage } from "./page_routes.ts";
import { ResultsIndex } from "./results_index.ts";
import { NotFound, realResultsDir } from "./safe_paths.ts";
import { SlurmFollowers } from "./slurm_followers.ts";
import { appPage, errorBox } from "./pages/layout.ts";
import { html } from "./responses.ts";

export type Handler = (request: Request) => Promise<Response>;

export function createContext(
  resultsDir: string,
  cacheDir = defaultCacheDir(),
  followers = new SlurmFollowers(),
): ServerContext {
  const root = realResultsDir(resultsDir);
  return {
    root,
    cacheDir,
    index: new ResultsIndex(root),
    derived: { version: -1, values: new Map() },
    followers,
  };
}

export function createHandler(ctx: ServerContext): Handler {
  return async (request) => {
    const url = new URL(request.url);
    const api = url.pathname.startsWith("/api/");
    try {
      if (request.method !== "GET" && request.method !== "HEAD") checkSameOrigin(request, url);
      const segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
      const response = api
        ? await handleApi(ctx, request, url, segments.slice(1))
        : await handlePage(ctx, request, url, segments);
      return response ?? failure(api, 404, `no page ${url.pathname}`);
    } catch (error) {
      if (error instanceof NotFound) return failure(api, 404, error.message);
      if (error instanceof UserError) return failure(api, 400, error.describe());
      if (error instanceof Forbidden) return failure(api, 403, error.message);
      if (error instanceof URIError) return failure(api, 400, "malformed path");
      console.error(error);
      return failure(api, 500, error instanceof Error ? error.message : String(error));
    }
  };
}

class Forbidden extends Error {}

/**
 * Actions change the results folder: another site's page in the same browser must not be
 * able to send them (a form posted cross-site carries that site's Origin).
 */
function checkSameOrigin(request: Request, url: URL): void {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if ((origin !== null && origin !== url.origin) || (site !== null && site === "cross-site")) {
    throw new Forbidden("actions are accepted from this server's own pages only");
  }
}

function failure(api: boolean, status: number, message: string): Response {
  if (api) return Response.json({ error: message }, { status });
  const title = status === 404 ? "Not found" : status === 400 ? "Bad request" : "Error";
  return html(appPage(title, `<h1>${title}</h1>${errorBox(message)}`), status);
}
