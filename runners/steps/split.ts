import { perUserSplit } from "../../data/split/per_user.ts";
import type { StepKind } from "./step.ts";

export interface SplitParams {
  method: "per_user";
  test: number;
  dev: number;
  rng: "seeded" | "numpy";
  seed: number;
}

/** Divides the clean ratings into train, dev and test rows. */
export const splitStep: StepKind<SplitParams> = {
  kind: "split",
  modules: [import.meta.url],
  describe: (p) => `${p.method}, ${p.test} test + ${p.dev} dev per user, ${p.rng} rng`,
  async run(params, inputs, ctx) {
    const ratings = inputs.clean.tables.ratings;
    const user = ratings.user as Int32Array;
    const nUsers = (inputs.clean.tables.users.user_id as Int32Array).length;
    let split;
    if (params.rng === "numpy") {
      if (params.test !== 1 || params.dev !== 1) {
        throw new Error("rng: numpy reproduces the study's split: 1 test and 1 dev row per user");
      }
      const { pandasPerUserSplit } = await import("../../data/rng/pandas_sample.ts");
      split = pandasPerUserSplit(user, nUsers, params.seed);
    } else {
      split = perUserSplit(user, nUsers, { test: params.test, dev: params.dev, seed: ctx.seed });
    }
    ctx.log(`train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`);
    return {
      tables: { train: { row: split.train }, dev: { row: split.dev }, test: { row: split.test } },
      meta: {
        counts: { train: split.train.length, dev: split.dev.length, test: split.test.length },
      },
    };
  },
};
