/**
 * `archive <run…> [--restore]` and `delete <run…> [--yes]`. Every run named is checked
 * before any is touched: one bad argument and nothing moves.
 */
import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { archiveMove, deleteRun, move, restoreMove } from "../run_folder/archive.ts";
import { locateRun } from "../run_folder/run_location.ts";
import { resultsDirOption, runArguments } from "./run_arguments.ts";

export function registerArchive(program: Command): void {
  program
    .command("archive")
    .description("move runs to <results>/.archive/ (out of every listing; --restore brings back)")
    .argument("<runs...>", "run folders, or run ids in the results folder")
    .option("--restore", "move archived runs back")
    .option("--results-dir <dir>", "the results folder the runs are in (default results/)")
    .action((runs: string[], opts) => {
      const resultsDir = resultsDirOption(opts.resultsDir);
      const plan = opts.restore ? restoreMove : archiveMove;
      const moves = runArguments(runs, resultsDir).map((dir) => plan(resultsDir, dir));
      for (const from of unique(moves.map((m) => m.from))) {
        const { to } = move(moves.find((m) => m.from === from)!);
        console.log(`${opts.restore ? "restored" : "archived"} ${from} -> ${to}`);
      }
    });
}

export function registerDelete(program: Command): void {
  program
    .command("delete")
    .description("delete run folders for good (asks first unless --yes)")
    .argument("<runs...>", "run folders, or run ids in the results folder")
    .option("--yes", "do not ask (needed when not at a terminal)")
    .option("--results-dir <dir>", "the results folder the runs are in (default results/)")
    .action((runs: string[], opts) => {
      const resultsDir = resultsDirOption(opts.resultsDir);
      const dirs = unique(runArguments(runs, resultsDir).map((d) => locateRun(resultsDir, d).dir));
      if (!opts.yes) {
        if (!Deno.stdin.isTerminal()) {
          throw new UserError(
            `refusing to delete ${runFolders(dirs.length)} without --yes (not at a terminal)`,
            { path: "--yes" },
          );
        }
        for (const dir of dirs) console.log(`  ${dir}`);
        if (!confirm(`Delete ${runFolders(dirs.length)} for good?`)) {
          console.log("nothing deleted");
          return;
        }
      }
      for (const dir of dirs) console.log(`deleted ${deleteRun(resultsDir, dir)}`);
    });
}

/** The same run named twice (by path and by id) is acted on once. */
function unique(dirs: string[]): string[] {
  return [...new Set(dirs)];
}

function runFolders(n: number): string {
  return n === 1 ? "1 run folder" : `${n} run folders`;
}
