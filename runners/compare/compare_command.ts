import type { Command } from "commander";
import { UserError } from "../errors.ts";
import { checkOutFile } from "../output_paths.ts";
import type { RunFolder } from "../run_folder/read_run.ts";
import type { CompareReport } from "./cells.ts";
import { buildComparison, type ComparisonTable } from "./compare_table.ts";
import { parseCondition } from "./conditions.ts";
import { loadRuns } from "./load_runs.ts";
import { type Correction, CORRECTIONS } from "./p_value_correction.ts";
import { renderHtml } from "./render_html.ts";
import { renderCsv, renderJson, renderMarkdown } from "./render_text.ts";

export const FORMATS = ["md", "csv", "json", "html"] as const;
export type Format = typeof FORMATS[number];

export interface CompareOptions {
  /** `--filter` conditions on spec fields, e.g. `model.k=10` */
  filter?: string[];
  /** `--where` conditions on metrics, e.g. `test.ndcg@10>0.1` */
  where?: string[];
  sort?: string;
  desc?: boolean;
  /** a run folder to test every other run against */
  baseline?: string;
  /** the held-out part whose per-user values are tested (default test) */
  part?: string;
  allowMixed?: boolean;
  /** how p-values are corrected for multiple comparisons (default holm) */
  correction?: Correction;
}

/**
 * Reads the runs, builds the comparison table and, with a baseline (given, or the first
 * row when exactly two runs remain), the paired tests. Bad input throws UserError.
 */
export async function compareRuns(
  paths: string[],
  options: CompareOptions = {},
): Promise<CompareReport> {
  const runs = loadRuns(paths);
  const baseline = options.baseline === undefined ? undefined : loadBaseline(options.baseline);
  if (baseline && !runs.some((r) => r.dir === baseline.dir)) runs.unshift(baseline);
  const conditions = [
    ...(options.filter ?? []).map((text) => parseCondition(text, "--filter")),
    ...(options.where ?? []).map((text) => parseCondition(text, "--where")),
  ];
  const table = buildComparison(runs, {
    conditions,
    sort: options.sort,
    descending: options.desc,
    allowMixed: options.allowMixed,
  });
  const correction = options.correction ?? "holm";
  const report: CompareReport = {
    table,
    paired: [],
    notes: dataNotes(table),
    correction: { method: correction, tests: 0 },
  };
  const part = options.part ?? "test";
  if (baseline) {
    const others = table.rows.map((r) => r.run).filter((r) => r.dir !== baseline.dir);
    report.paired = await pairedComparisons(baseline, others, part);
  } else if (table.rows.length === 2) {
    // Two runs: test the second against the first, unless they hold no per-user values.
    try {
      report.paired = await pairedComparisons(table.rows[0].run, [table.rows[1].run], part);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      report.notes.push(`No paired tests: ${error.describe()}`);
    }
  }
  if (report.paired.length) {
    const { correctPValues } = await import("./significance.ts");
    report.correction.tests = correctPValues(report.paired, correction);
  }
  return report;
}

/** The format named on the command line, or a UserError listing the known ones. */
export function checkFormat(format: string): Format {
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw new UserError(`unknown format '${format}'; use one of ${FORMATS.join(", ")}`, {
    path: "--format",
  });
}

/** The correction named on the command line, or a UserError listing the known ones. */
export function checkCorrection(correction: string): Correction {
  if ((CORRECTIONS as readonly string[]).includes(correction)) return correction as Correction;
  throw new UserError(
    `unknown correction '${correction}'; use one of ${CORRECTIONS.join(", ")}`,
    { path: "--correction" },
  );
}

/** The report as text. */
export function renderReport(report: CompareReport, format: Format = "md"): string {
  switch (format) {
    case "md":
      return renderMarkdown(report);
    case "csv":
      return renderCsv(report);
    case "json":
      return renderJson(report);
    case "html": {
      const names = [...new Set(report.table.rows.map((r) => String(r.run.spec.name)))];
      return renderHtml(report, `Comparison of ${names.join(", ")} runs`);
    }
  }
}

/**
 * `compare <experiment folder | run folders…>` on the program. The report goes to
 * `--out` or to `print` (stdout; tests pass their own).
 */
export function registerCompare(
  program: Command,
  print: (text: string) => Promise<void> = writeStdout,
): void {
  const collect = (value: string, previous: string[]) => [...previous, value];
  program
    .command("compare")
    .description("compare runs: differing spec fields and metrics, best marked; paired tests")
    .argument("<folders...>", "an experiment folder (results/<name>) or run folders")
    .option("--sort <column>", "sort by a column (run, a spec field or a metric)")
    .option("--desc", "sort descending (without --sort: the runs' order reversed)")
    .option(
      "--filter <condition>",
      "keep runs whose spec field matches, e.g. model.k=10 (= != > >= < <=; repeatable)",
      collect,
      [],
    )
    .option(
      "--where <condition>",
      "keep runs whose metric satisfies it, e.g. 'test.ndcg@10>0.1' (repeatable)",
      collect,
      [],
    )
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "md")
    .option("--out <file>", "write to a file instead of stdout")
    .option("--baseline <run>", "paired tests of every run against this run folder")
    .option(
      "--part <name>",
      "held-out part the paired tests use: test, dev, or one fold (test_fold1); " +
        "on k-fold runs, test pairs users fold by fold",
      "test",
    )
    .option("--allow-mixed", "allow runs of different experiments")
    .option(
      "--correction <method>",
      "correction of the paired tests' p-values for multiple comparisons: holm (family-wise " +
        "error), bh (Benjamini–Hochberg, false discovery rate) or none",
      "holm",
    )
    .action(async (folders: string[], opts) => {
      const format = checkFormat(opts.format);
      opts.correction = checkCorrection(opts.correction);
      if (opts.out) opts.out = checkOutFile(opts.out); // before reading any run
      const report = await compareRuns(folders, opts);
      const text = renderReport(report, format);
      if (opts.out) {
        Deno.writeTextFileSync(opts.out, text);
        console.error(`compare: wrote ${opts.out} (${report.table.rows.length} runs)`);
      } else {
        await print(text);
      }
    });
}

/** Metrics measured on different data or held-out sets are not comparable: say so. */
function dataNotes(table: ComparisonTable): string[] {
  const fields = table.columns.filter((c) =>
    c.kind === "param" && /^(data|split|sample)\./.test(c.name)
  )
    .map((c) => c.name);
  return fields.length
    ? [
      `Note: these runs differ in their data or split (${fields.join(", ")}), so their ` +
      "metrics are measured on different held-out sets.",
    ]
    : [];
}

function loadBaseline(path: string): RunFolder {
  const runs = loadRuns([path]);
  if (runs.length !== 1) {
    throw new UserError(`expected one run folder, got an experiment folder of ${runs.length}`, {
      file: path,
      path: "--baseline",
    });
  }
  return runs[0];
}

async function pairedComparisons(baseline: RunFolder, others: RunFolder[], part: string) {
  // Loaded on demand: the statistics library is only needed for paired tests.
  const { compareWithBaseline } = await import("./significance.ts");
  return compareWithBaseline(baseline, others, part);
}

async function writeStdout(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
}
