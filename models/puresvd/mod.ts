/**
 * PureSVD, Cremonesi, Koren & Turrin (2010) "Performance of recommender algorithms on top-N
 * recommendation tasks": the top-`factors` right singular vectors V of the binary user x item
 * matrix X, scores X . V . V^T (a user's interactions projected on the item subspace). V comes
 * from a seeded randomized SVD applied through the sparse X (randomized_svd.ts).
 */
import type { ModelDefinition } from "../model.ts";
import { interactions } from "../implicit/interactions.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import { seededRandom } from "../../data/rng/seeded.ts";
import { type PureSvdConfig, puresvdConfigSchema } from "./config.ts";
import { topRightSingular } from "./randomized_svd.ts";
import { BlockScores } from "./block_scores.ts";

export { type PureSvdConfig, puresvdConfigSchema } from "./config.ts";

export const puresvd: ModelDefinition<PureSvdConfig> = {
  type: "puresvd",
  description: "PureSVD (Cremonesi et al. 2010): scores X V V^T from the top singular vectors",
  modules: [import.meta.url],
  config: puresvdConfigSchema,
  fit(config, data, ctx) {
    const x = interactions(data, config.threshold);
    const rows = { nRows: x.nUsers, nCols: x.nItems, offsets: x.userOffsets, indices: x.userItems };
    const started = performance.now();
    const svd = topRightSingular(rows, config.factors, {
      iterations: config.iterations,
      oversampling: config.oversampling,
      random: seededRandom(ctx.seed),
      onIteration: (done, total) => ctx.progress(done, total, "iterations"),
    });
    if (svd.factors < config.factors) {
      ctx.log(`puresvd: ${svd.factors} factors, as many as there are items`);
    }
    ctx.log(
      `puresvd: ${svd.factors} singular vectors of a ${x.nUsers} x ${x.nItems} X ` +
        `(${x.userItems.length} interactions) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return {
      vectors: svd.vectors,
      factors: Int32Array.of(svd.factors),
      singular_values: svd.values.map(Math.sqrt),
    };
  },
  recommend(config, params, data, request, ctx) {
    const v = params.vectors as Float64Array;
    const f = (params.factors as Int32Array)[0];
    const m = data.nItems;
    if (v.length !== m * f) throw new Error(`puresvd params: vectors are not ${m} x ${f}`);
    const x = interactions(data, config.threshold);
    // users are scored in blocks, in request order: the block starting at the r-th call
    const scorer = new BlockScores(v, m, f);
    const y = new Float64Array(scorer.block * f);
    let call = 0;
    let scores: Float64Array = new Float64Array(0);
    const { users } = request;
    return recommendByScores(m, request, (u, out) => {
      const b = call % scorer.block;
      if (b === 0) {
        const count = Math.min(scorer.block, users.length - call);
        y.fill(0);
        for (let r = 0; r < count; r++) {
          const user = users[call + r];
          for (let p = x.userOffsets[user]; p < x.userOffsets[user + 1]; p++) {
            const row = x.userItems[p] * f;
            for (let c = 0; c < f; c++) y[r * f + c] += v[row + c];
          }
        }
        scores = scorer.compute(y, count);
      }
      if (users[call] !== u) throw new Error("puresvd: users scored out of request order");
      call++;
      out.set(scores.subarray(b * scorer.ldc, b * scorer.ldc + m));
    }, (done, total) => ctx.progress(done, total, "users"));
  },
};
