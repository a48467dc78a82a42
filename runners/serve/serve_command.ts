import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { defaultCacheDir, defaultResultsDir } from "../run.ts";
import { resolveOutputPath } from "../spec/user_paths.ts";
import { createContext, createHandler } from "./server.ts";
import type { SlurmFollowers } from "./slurm_followers.ts";

export interface ServeOptions {
  resultsDir?: string;
  /** the cache `gc` cleans (default .cache/, or $RECSYS_CACHE) */
  cacheDir?: string;
  port?: number;
  host?: string;
  /** called once the server listens (tests and the benchmark learn the port) */
  onListen?: (address: { hostname: string; port: number }) => void;
  signal?: AbortSignal;
  /** the pollers of Slurm sweeps (tests inject a fake Slurm) */
  followers?: SlurmFollowers;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * Starts the results browser. Binds to loopback unless told otherwise; any other address is
 * allowed with a warning, since whoever reaches it can tag, archive and delete runs. The
 * index of runs is built right after listening, so the first page does not wait for it.
 */
export function serveResults(options: ServeOptions = {}): Deno.HttpServer<Deno.NetAddr> {
  const resultsDir = options.resultsDir === undefined
    ? defaultResultsDir()
    : resolveOutputPath(options.resultsDir);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(resultsDir);
  } catch {
    throw new UserError("no such results folder", { file: resultsDir, path: "--results-dir" });
  }
  if (!info.isDirectory) {
    throw new UserError("not a folder", { file: resultsDir, path: "--results-dir" });
  }
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) {
    console.error(
      `warning: serving on ${host}: anyone who can reach this address can read, tag, archive ` +
        "and delete runs (there is no login); use --host 127.0.0.1 unless you mean it",
    );
  }
  const ctx = createContext(
    resultsDir,
    options.cacheDir === undefined ? defaultCacheDir() : resolveOutputPath(options.cacheDir),
    options.followers,
  );
  const server = Deno.serve({
    hostname: host,
    port: options.port ?? 8080,
    signal: options.signal,
    onListen: (address) => {
      options.onListen?.(address);
      setTimeout(() => ctx.index.runs(), 0);
    },
  }, createHandler(ctx));
  // Pollers of Slurm sweeps stop with the server (a page left open would keep one on).
  server.finished.then(() => ctx.followers.close());
  return server;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("browse the results folder in a web page: runs, reports, comparisons, sweeps")
    .option("--results-dir <dir>", "the results folder (default results/, or $RECSYS_RESULTS)")
    .option(
      "--cache-dir <dir>",
      "the cache the Cache page cleans (default .cache/, or $RECSYS_CACHE)",
    )
    .option("--port <n>", "port to listen on (0: any free port)", "8080")
    .option("--host <address>", "address to bind (default loopback only)", "127.0.0.1")
    .action(
      async (opts: { resultsDir?: string; cacheDir?: string; port: string; host: string }) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new UserError(`expected a port 0-65535, got '${opts.port}'`, { path: "--port" });
        }
        const server = serveResults({
          resultsDir: opts.resultsDir,
          cacheDir: opts.cacheDir,
          port,
          host: opts.host,
          onListen: ({ hostname, port }) => {
            const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
            console.error(`serve: results browser on http://${shown}:${port}/ (Ctrl-C stops it)`);
          },
        });
        await server.finished;
      },
    );
}
