/**
 * Exclude-seen top-k lists from a neighbourhood model's weights: each user's sparse scores
 * (score.ts) ranked by the shared sparse ranker, on this thread or `threads` workers, with
 * the same lists either way.
 */
import type { RecommendRequest, StepContext } from "../model.ts";
import { SparseScoreRanker } from "../implicit/recommend_by_scores.ts";
import { shared, sharedInt32 } from "../svdpp/shared_memory.ts";
import { runChunked } from "./parallel.ts";
import { type ScoreBasis, scoreUser, type UserItems } from "./score.ts";
import type { SparseRows } from "./sparse_rows.ts";

/** One thread's recommender: writes the lists of request.users[from .. to) into `out`. */
export function recommendUsers(
  weights: SparseRows,
  x: UserItems,
  basis: ScoreBasis,
  nItems: number,
  request: RecommendRequest,
  out: Int32Array,
): (from: number, to: number) => number {
  const ranker = new SparseScoreRanker(nItems, request);
  const scores = new Float64Array(nItems);
  const touched = new Int32Array(nItems + 1); // score.ts writes one past the last touched
  const { users } = request;
  return (from, to) => {
    for (let r = from; r < to; r++) {
      const count = scoreUser(weights, x, basis, users[r], scores, touched);
      ranker.rank(r, scores, touched, count, out);
    }
    return to - from;
  };
}

export async function recommendNeighbourhood(
  weights: SparseRows,
  x: UserItems,
  basis: ScoreBasis,
  nItems: number,
  request: RecommendRequest,
  threads: number,
  ctx: StepContext,
  label: string,
): Promise<Int32Array> {
  const nUsers = x.offsets.length - 1;
  const { users, k } = request;
  for (let r = 0; r < users.length; r++) {
    if (!(users[r] >= 0 && users[r] < nUsers)) {
      throw new Error(`${label}: users[${r}] = ${users[r]} is outside 0..${nUsers - 1}`);
    }
  }
  // workers write into shared memory; the lists leave as an ordinary array
  const out = threads > 1 ? sharedInt32(users.length * k) : new Int32Array(users.length * k);
  await runChunked({
    label,
    count: users.length,
    total: users.length,
    unit: "users",
    threads,
    local: () => recommendUsers(weights, x, basis, nItems, request, out),
    task: (counter, chunk) => ({
      kind: "recommend",
      weights: {
        offsets: shared(weights.offsets),
        columns: shared(weights.columns),
        values: shared(weights.values),
      },
      x: { offsets: shared(x.offsets), items: shared(x.items) },
      basis,
      nItems,
      request: sharedRequest(request),
      out,
      counter,
      chunk,
    }),
  }, ctx);
  return threads > 1 ? out.slice() : out;
}

function sharedRequest(request: RecommendRequest): RecommendRequest {
  const { users, k, exclude, candidates, ties } = request;
  return {
    users: shared(users),
    k,
    exclude: exclude === null
      ? null
      : { offsets: shared(exclude.offsets), values: shared(exclude.values) },
    candidates: candidates === null ? null : shared(candidates),
    ties,
  };
}
