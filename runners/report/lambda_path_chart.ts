import type { RunRecord } from "../results.ts";
import type { ChartSpec } from "./render_svg.ts";

/** One penalty of a ridge path as a fit step records it in its meta (run.json). */
export interface LambdaPoint {
  lambda: number;
  train_rmse: number | null;
  dev_rmse: number | null;
}

/** The `lambda_path` of the run's first step that recorded one (the text ridge's fit). */
export function lambdaPathOf(record: RunRecord | undefined): LambdaPoint[] | undefined {
  for (const step of record?.steps ?? []) {
    const path = step.meta?.lambda_path as LambdaPoint[] | undefined;
    if (Array.isArray(path) && path.length > 0) return path;
  }
  return undefined;
}

/**
 * Train and dev RMSE against the ridge penalty (log axis), the dev-best λ circled: the
 * λ analogue of the learning curves.
 */
export function lambdaPathChart(path: readonly LambdaPoint[]): ChartSpec {
  const rows = path.flatMap((p) => [
    ...(p.train_rmse === null
      ? []
      : [{ lambda: p.lambda, curve: "train_rmse", value: p.train_rmse }]),
    ...(p.dev_rmse === null ? [] : [{ lambda: p.lambda, curve: "dev_rmse", value: p.dev_rmse }]),
  ]);
  const dev = rows.filter((r) => r.curve === "dev_rmse");
  const best = dev.length ? [dev.reduce((a, b) => (b.value < a.value ? b : a))] : [];
  const encoding = {
    x: {
      field: "lambda",
      type: "quantitative",
      title: "λ (ridge penalty)",
      scale: { type: "log" },
    },
    y: { field: "value", type: "quantitative", title: "RMSE", scale: { zero: false } },
    color: {
      field: "curve",
      type: "nominal",
      title: "curve",
      scale: { domain: ["train_rmse", "dev_rmse"] },
    },
  } as const;
  return {
    width: 460,
    height: 250,
    layer: [
      { data: { values: rows }, mark: { type: "line", point: true }, encoding },
      {
        data: { values: best },
        mark: { type: "point", shape: "circle", size: 110, filled: false, strokeWidth: 2 },
        encoding,
      },
    ],
  };
}
