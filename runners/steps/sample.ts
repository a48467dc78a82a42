import { rowsOfFirstUsers, sampleRows } from "../../data/split/sample.ts";
import type { StepKind } from "./step.ts";
import { requireTrainingRows, rowsArtifact } from "./split.ts";

export interface SampleParams {
  train_frac: number;
  test_users: number | null;
  dev_users: number | null;
  rng: "seeded" | "numpy";
  seed: number;
}

/**
 * Subsets of a split (the study's SVD++ protocol): a fraction of the training rows, and
 * the first N test and dev users. The full training rows are kept as `seen`, so excluding
 * seen items still uses everything a user rated.
 */
export const sampleStep: StepKind<SampleParams> = {
  kind: "sample",
  modules: [import.meta.url],
  describe: (p) =>
    `train ${p.train_frac * 100}%${p.test_users ? `, first ${p.test_users} test users` : ""}${
      p.dev_users ? `, first ${p.dev_users} dev users` : ""
    }, ${p.rng} rng`,
  run(params, inputs, ctx) {
    const user = inputs.clean.tables.ratings.user as Int32Array;
    const rows = (name: string) => inputs.split.tables[name].row as Int32Array;
    const seed = params.rng === "numpy" ? params.seed : ctx.seed;
    const train = params.train_frac < 1
      ? sampleRows(rows("train"), params.train_frac, { rng: params.rng, seed })
      : rows("train");
    const test = params.test_users
      ? rowsOfFirstUsers(rows("test"), user, params.test_users)
      : rows("test");
    const dev = params.dev_users
      ? rowsOfFirstUsers(rows("dev"), user, params.dev_users)
      : rows("dev");
    ctx.log(`train ${train.length}, dev ${dev.length}, test ${test.length}`);
    requireTrainingRows(
      train.length,
      "sample.train_frac",
      `${params.train_frac} of ${rows("train").length} training rows rounds to none`,
    );
    return Promise.resolve(rowsArtifact(train, dev, test, rows("train")));
  },
};
