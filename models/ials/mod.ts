/**
 * iALS (ials.ts) and the pieces the factor models share: row solves (als_rows.ts,
 * dense_solve.ts), catalogue scores and top-k (factor_scores.ts, factor_recommend.ts), the
 * per-epoch dev ndcg (dev_ndcg.ts) and the worker (worker.ts). `threads` splits rows between
 * Web Workers over shared memory; iALS results are identical for any thread count.
 */
export { factorScores, ials } from "./ials.ts";
export { type IalsConfig, ialsConfigSchema } from "./config.ts";
