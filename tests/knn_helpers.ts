import type { StepContext, TrainData } from "../models/model.ts";
import type { Table } from "../runners/table.ts";

/** Test support for the neighbourhood models: data from a 0/1 matrix, dense views of tables. */

/** Training data whose interactions are the 1s of `x` (users x items), rows in user order. */
export function dataOfMatrix(x: number[][], nItems = x[0]?.length ?? 0): TrainData {
  const user: number[] = [];
  const item: number[] = [];
  x.forEach((row, u) =>
    row.forEach((v, i) => {
      if (v) {
        user.push(u);
        item.push(i);
      }
    })
  );
  return dataOfPairs(user, item, x.length, nItems);
}

export function dataOfPairs(
  user: number[],
  item: number[],
  nUsers: number,
  nItems: number,
): TrainData {
  return {
    ratings: {
      user: Int32Array.from(user),
      item: Int32Array.from(item),
      rating: new Float32Array(user.length).fill(5),
      userIds: Int32Array.from({ length: nUsers }, (_, u) => 100 + u),
      itemIds: Int32Array.from({ length: nItems }, (_, i) => 1000 + i),
    },
    train: Int32Array.from(user.keys()),
    dev: new Int32Array(0),
    nUsers,
    nItems,
    scale: [1, 10],
  };
}

/** The fitted weight matrix (row_offsets / columns / values) as a dense n x n array. */
export function denseWeights(params: Table, n: number): number[][] {
  const offsets = params.row_offsets as Int32Array;
  const columns = params.columns as Int32Array;
  const values = params.values as Float64Array;
  const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let r = 0; r < n; r++) {
    for (let p = offsets[r]; p < offsets[r + 1]; p++) dense[r][columns[p]] = values[p];
  }
  return dense;
}

export function assertClose(actual: number[][], expected: number[][], tolerance = 1e-12) {
  const bad: string[] = [];
  expected.forEach((row, r) =>
    row.forEach((v, c) => {
      if (!(Math.abs(actual[r][c] - v) <= tolerance)) {
        bad.push(`[${r}][${c}] ${actual[r][c]} != ${v}`);
      }
    })
  );
  if (bad.length) throw new Error(`matrices differ:\n${bad.join("\n")}`);
}

/** A context that records progress calls and log lines. */
export function recordingContext(
  seed = 1,
): StepContext & { logs: string[]; progressCalls: number } {
  const ctx = {
    seed,
    rng: "seeded" as const,
    logs: [] as string[],
    progressCalls: 0,
    progress() {
      ctx.progressCalls++;
    },
    log(message: string) {
      ctx.logs.push(message);
    },
  };
  return ctx;
}

/** Each user's training items, as a RecommendRequest's `exclude`. */
export function excludeSeen(x: number[][]) {
  const offsets = [0];
  const values: number[] = [];
  for (const row of x) {
    row.forEach((v, i) => v && values.push(i));
    offsets.push(values.length);
  }
  return { offsets: Int32Array.from(offsets), values: Int32Array.from(values) };
}
