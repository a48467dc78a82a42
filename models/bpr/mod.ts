/**
 * BPR-MF (bpr.ts): SGD over (u, i, j) triples (sgd.ts), Hogwild workers with threads > 1
 * (worker.ts), top-k and the dev curve shared with iALS (models/ials/).
 */
export { bpr } from "./bpr.ts";
export { type BprConfig, bprConfigSchema } from "./config.ts";
