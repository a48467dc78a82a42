import { dirname, join, resolve, sep } from "node:path";
import type { Command } from "commander";
import { sha256 } from "../fingerprint.ts";
import { checkOutFile } from "../output_paths.ts";
import { writeComparisonReport } from "./comparison_report.ts";
import { writeRunReport } from "./run_report.ts";

/**
 * `report <run folder...> [--out FILE] [--params a.b,c.d]`: one folder gives its run report
 * (`<run folder>/report.html` by default); several give a comparison report.
 */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("HTML report of a run folder, or a comparison of several (self-contained)")
    .argument("<run-folders...>", "results/<experiment>/<run id> (one or more)")
    .option("--out <file>", "where to write the HTML (default: see below)")
    .option(
      "--params <paths>",
      "comparison: comma-separated spec paths to plot metrics against " +
        "(default: every field that differs between the runs)",
    )
    .addHelpText(
      "after",
      "\nDefault output: <run folder>/report.html for one run; for several, " +
        "comparison-<n>runs-<hash>.html in the folder that holds them all.",
    )
    .action(async (runDirs: string[], opts: { out?: string; params?: string }) => {
      if (opts.out) opts.out = checkOutFile(opts.out); // before reading any run
      const written = runDirs.length === 1
        ? await writeRunReport(runDirs[0], opts.out)
        : await writeComparisonReport(runDirs, opts.out ?? defaultComparisonPath(runDirs), {
          sweptParams: opts.params?.split(",").map((p) => p.trim()).filter(Boolean),
        });
      console.log(`report: ${written}`);
    });
}

/**
 * `comparison-<n>runs-<hash of the run folders>.html` in their deepest common folder: the
 * same set of runs overwrites its own report, a different set never does.
 */
export function defaultComparisonPath(runDirs: string[]): string {
  const absolute = runDirs.map((d) => resolve(d).replace(/[\\/]+$/, ""));
  let common = dirname(absolute[0]);
  while (!absolute.every((d) => d.startsWith(common + sep) || d === common)) {
    const parent = dirname(common);
    if (parent === common) break;
    common = parent;
  }
  const hash = sha256([...absolute].sort().join("\n")).slice(0, 8);
  return join(common, `comparison-${runDirs.length}runs-${hash}.html`);
}
