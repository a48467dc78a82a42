import type { SparseRows } from "../../models/text_ridge/sparse_rows.ts";
import type { StepKind } from "./step.ts";

export interface FitRidgeParams {
  lambdas: number[];
  threads: number;
}

/**
 * Ridge regression of the anime scores on the text features, in closed form for every λ of
 * the list; the λ with the lowest dev RMSE is kept. Predictions for dev and test go to the
 * evaluate step as the BERT head's do; the dev RMSE of every λ goes to the step's meta
 * (`lambda_path`: in run.json, and charted by the run report).
 */
export const fitRidgeStep: StepKind<FitRidgeParams> = {
  kind: "fit_ridge",
  modules: [import.meta.url],
  describe: (p) => `closed-form ridge, λ in [${p.lambdas.join(", ")}] chosen on dev`,
  async run(params, inputs, ctx) {
    const { fitTextRidge } = await import("../../models/text_ridge/fit.ts");
    const { multiplyVector, sliceRows } = await import("../../models/text_ridge/sparse_rows.ts");
    const score = inputs.clean.tables.clean_items.score as Float32Array;
    const rows = (part: string) => inputs.split.tables[part].row as Int32Array;
    const [train, dev, test] = [rows("train"), rows("dev"), rows("test")];
    const features = inputs.features.tables;
    const names = features.columns.name as string[];
    const x: SparseRows = {
      rows: train.length + dev.length + test.length,
      cols: names.length,
      offsets: features.rows.offset as Int32Array,
      columns: features.entries.column as Int32Array,
      values: features.entries.value as Float64Array,
    };
    // Feature rows are stored train, dev, test in that order.
    const xTrain = sliceRows(x, 0, train.length);
    const xDev = sliceRows(x, train.length, train.length + dev.length);
    const xTest = sliceRows(x, train.length + dev.length, x.rows);
    const target = (part: Int32Array) => Float64Array.from(part, (i) => score[i]);
    const started = performance.now();
    const result = await fitTextRidge(
      { x: xTrain, y: target(train) },
      { x: xDev, y: target(dev) },
      params.lambdas,
      {
        threads: params.threads,
        onLambda: (done, total) => ctx.progress(done, total, "λ"),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const { best } = result;
    ctx.log(
      `${result.side} solve (${result.order} x ${result.order}, ${result.kernel}) for ` +
        `${params.lambdas.length} λ in ${seconds.toFixed(2)} s (Gram matrix ` +
        `${result.seconds.gram.toFixed(2)} s, Cholesky and solves ` +
        `${result.seconds.solves.toFixed(2)} s); dev-best λ ${best.lambda}`,
    );
    ctx.log(`strongest columns: ${strongest(best.weights, names)}`);
    const nullForNaN = (v: number) => (Number.isNaN(v) ? null : v);
    return {
      tables: {
        dev: { pred: multiplyVector(xDev, best.weights, best.intercept) },
        test: { pred: multiplyVector(xTest, best.weights, best.intercept) },
        weights: { name: names, weight: best.weights },
      },
      meta: {
        lambda: best.lambda,
        intercept: best.intercept,
        solver: { side: result.side, order: result.order, kernel: result.kernel, seconds },
        lambda_path: result.path.map((p) => ({
          lambda: p.lambda,
          train_rmse: nullForNaN(p.train_rmse),
          dev_rmse: nullForNaN(p.dev_rmse),
        })),
      },
    };
  },
};

/** The three most positive and most negative weights, for the log. */
function strongest(weights: Float64Array, names: string[]): string {
  const order = Array.from(weights.keys()).sort((a, b) => weights[b] - weights[a]);
  const show = (c: number) => `${names[c]} ${weights[c] >= 0 ? "+" : ""}${weights[c].toFixed(2)}`;
  const top = order.slice(0, 3).map(show);
  const bottom = order.slice(-3).reverse().map(show);
  return `${top.join(", ")} … ${bottom.join(", ")}`;
}
