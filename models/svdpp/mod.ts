/**
 * SVD and SVD++ as Surprise computes them, over typed arrays.
 *
 * - `svdpp` (type "svdpp"): variant "surprise" replays Surprise's `SVDpp.fit` operation for
 *   operation in Float64 (quadratic in a user's ratings; matches Surprise 1.1.4 to 1e-9);
 *   variant "fast" (default) runs the same SGD reorganised per user, linear in the ratings,
 *   with Float32 storage by default (train_fast.ts explains the algebra).
 * - `svd` (type "svd"): Surprise's `SVD` (biased MF), same visiting order and updates.
 *
 * Users and items get inner ids in order of first appearance among the training rows, as
 * Surprise's trainset does (trainset.ts); anything else is "unknown" when predicting, and
 * the estimate drops the unknown side (estimate.ts). Fitted parameters come back as one table
 * of typed columns of their own lengths (params.ts), with per-epoch learning curves.
 * Recommendations rank candidates by the clipped estimate, ties to the lower item index
 * (recommend.ts).
 *
 * `threads` (both models, default 1) runs work in Web Workers over shared memory
 * (worker_pool.ts, worker.ts). Recommendation lists and the per-epoch dev RMSE are identical
 * to one thread (recommend_threaded.ts, fit_threaded.ts); training with threads > 1 is
 * lock-free "Hogwild" SGD and NOT deterministic (close in RMSE, different in the bits);
 * predict() stays on the calling thread (ModelDefinition.predict is synchronous). Variant
 * surprise refuses threads > 1.
 */
export { svdpp } from "./svdpp.ts";
export { svd } from "./svd.ts";
export { type SvdConfig, svdConfigSchema, type SvdppConfig, svdppConfigSchema } from "./config.ts";
