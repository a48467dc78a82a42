/** The suite's sound table: intervals beside the values, p-values raw and Holm-corrected. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeTable } from "../runners/cache/arrow_io.ts";
import { adjustPValues } from "../runners/compare/p_value_correction.ts";
import { pairedTests } from "../runners/compare/significance.ts";
import { readPerUserValues } from "../runners/run_folder/per_user_values.ts";
import type { RunOutcome } from "../runners/run.ts";
import { soundSummary } from "../runners/suite/summary.ts";

const users = Int32Array.from([1, 2, 3, 4, 5, 6]);

function outcome(dir: string, ndcg: number[], ci?: [number, number]): RunOutcome {
  Deno.mkdirSync(dir);
  Deno.writeFileSync(
    join(dir, "per_user_test.arrow"),
    encodeTable({ user_id: users, "ndcg@10": Float64Array.from(ndcg) }),
  );
  const mean = ndcg.reduce((a, v) => a + v, 0) / ndcg.length;
  return {
    runId: dir,
    runDir: dir,
    metrics: { test: { "ndcg@10": mean } },
    uncertainty: { ci: ci ? { test: { "ndcg@10": ci } } : {}, std: {} },
    record: {} as RunOutcome["record"],
  };
}

Deno.test("sound summary: value [low, high] in Markdown, bounds in CSV, Holm over the comparisons", () => {
  const dir = Deno.makeTempDirSync({ prefix: "suite-summary-" });
  try {
    const rows = [
      { label: "Top-Pop", outcome: outcome(join(dir, "a"), [0, 0.5, 0, 1, 0, 0.1], [0.05, 0.4]) },
      { label: "A", outcome: outcome(join(dir, "b"), [0.5, 0.6, 0.2, 1, 0.3, 0.4]) },
      { label: "B", outcome: outcome(join(dir, "c"), [0.1, 0.5, 0.1, 1, 0.2, 0.2]) },
    ];
    const { csv, markdown } = soundSummary(rows, "Top-Pop");
    const header = csv.split("\n")[0].split(",");
    const top = csv.split("\n")[1].split(",");
    assert.equal(top[header.indexOf("test_ndcg")], "0.2667");
    assert.equal(top[header.indexOf("test_ndcg_ci_low")], "0.0500");
    assert.equal(top[header.indexOf("test_ndcg_ci_high")], "0.4000");
    assert.match(markdown, /\| Top-Pop \| [^|]*\| [^|]*\| 0\.2667 \[0\.0500, 0\.4000\] \|/);

    const raw = rows.slice(1).map(({ outcome }) =>
      pairedTests(
        readPerUserValues(join(dir, "a"), "test"),
        readPerUserValues(outcome.runDir, "test"),
      )[0]
    );
    const holm = adjustPValues(raw.map((t) => t.tPValue), "holm");
    const p = header.indexOf("ndcg_p_holm_t_wilcoxon");
    for (const [i, line] of csv.trim().split("\n").slice(2).entries()) {
      assert.equal(line.split(",")[p].split(" / ")[0], holm[i].toExponential(2));
    }
    assert.equal(top[p], "", "the baseline is not tested against itself");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("sound summary: an underflowed p-value reads as a bound, not 0.00e+0", () => {
  const dir = Deno.makeTempDirSync({ prefix: "suite-summary-" });
  try {
    const n = 6000;
    const many = Int32Array.from({ length: n }, (_, i) => i);
    const run = (name: string, ndcg: Float64Array): RunOutcome => {
      const runDir = join(dir, name);
      Deno.mkdirSync(runDir);
      Deno.writeFileSync(
        join(runDir, "per_user_test.arrow"),
        encodeTable({ user_id: many, "ndcg@10": ndcg }),
      );
      const mean = ndcg.reduce((a, v) => a + v, 0) / n;
      return {
        runId: runDir,
        runDir,
        metrics: { test: { "ndcg@10": mean } },
        uncertainty: { ci: {}, std: {} },
        record: {} as RunOutcome["record"],
      };
    };
    const rows = [
      { label: "Top-Pop", outcome: run("a", new Float64Array(n)) },
      { label: "A", outcome: run("b", Float64Array.from(many, (i) => 0.5 + (i % 5) / 10)) },
    ];
    const { csv, markdown } = soundSummary(rows, "Top-Pop");
    const header = csv.split("\n")[0].split(",");
    const a = csv.split("\n")[2].split(",");
    assert.equal(a[header.indexOf("ndcg_p_t_wilcoxon")], "< 1e-300 / < 1e-300");
    assert.equal(a[header.indexOf("ndcg_p_holm_t_wilcoxon")], "< 1e-300 / < 1e-300");
    assert.doesNotMatch(markdown, /0\.00e\+0/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
