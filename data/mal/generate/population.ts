/**
 * Users of both rating files: ids, which file(s) each appears in, how many anime each rates
 * (heavy-tailed: most rate a few, some rate hundreds) and their hidden taste (bias + factors).
 * 2018 users are partly the same people as 2023 users (same id and username), partly others
 * whose ids fall in the gaps of the same id space.
 */
import { FACTOR_DIMS } from "./hidden_items.ts";
import type { Rng } from "./random.ts";
import type { ScaleConfig } from "./scales.ts";

export const IN_2023 = 1;
export const IN_2018 = 2;

const USER_FACTOR_SD = 0.5;
const USER_BIAS_SD = 0.85;
/** log-normal spread of user activity */
const ACTIVITY_SIGMA = 1.25;
/** no user rates more than this share of the anime they can rate */
const MAX_SHARE_RATED = 0.5;

export interface Population {
  count: number;
  /** ascending */
  userId: Int32Array;
  /** IN_2023 | IN_2018 bit flags */
  files: Uint8Array;
  count2023: Int32Array;
  count2018: Int32Array;
  bias: Float32Array;
  /** count x FACTOR_DIMS */
  factors: Float32Array;
}

export function generatePopulation(
  rng: Rng,
  config: ScaleConfig,
  items2023: number,
  items2018: number,
): Population {
  const shared = Math.min(
    config.users2023,
    Math.round(config.users2018 * config.sharedUserFraction),
  );
  const count = config.users2023 + config.users2018 - shared;
  const files = new Uint8Array(count);
  // Exact numbers of each kind, in random order along the id axis.
  for (let u = 0; u < count; u++) {
    files[u] = u < config.users2023 - shared
      ? IN_2023
      : u < config.users2023
      ? IN_2023 | IN_2018
      : IN_2018;
  }
  for (let u = count - 1; u > 0; u--) {
    const j = rng.int(u + 1);
    [files[u], files[j]] = [files[j], files[u]];
  }

  const userId = new Int32Array(count);
  let id = 0;
  for (let u = 0; u < count; u++) {
    id += 1 + Math.floor(-Math.log(1 - rng.uniform()) * 3.5);
    userId[u] = id;
  }

  const activity = new Float64Array(count);
  const bias = new Float32Array(count);
  const factors = new Float32Array(count * FACTOR_DIMS);
  for (let u = 0; u < count; u++) {
    activity[u] = Math.exp(ACTIVITY_SIGMA * rng.normal());
    bias[u] = USER_BIAS_SD * rng.normal();
    for (let d = 0; d < FACTOR_DIMS; d++) {
      factors[u * FACTOR_DIMS + d] = USER_FACTOR_SD * rng.normal();
    }
  }
  const activity2018 = activity.map((a) => a * Math.exp(0.5 * rng.normal()));
  const cap2023 = Math.max(1, Math.floor(items2023 * MAX_SHARE_RATED));
  const cap2018 = Math.max(1, Math.floor(items2018 * MAX_SHARE_RATED));
  return {
    count,
    userId,
    files,
    count2023: allocate(rng, activity, files, IN_2023, config.ratings2023, cap2023),
    count2018: allocate(rng, activity2018, files, IN_2018, config.ratings2018, cap2018),
    bias,
    factors,
  };
}

/**
 * Splits exactly `total` rows among the users flagged `flag`, in proportion to activity,
 * each user at least 1 and at most `cap`.
 */
function allocate(
  rng: Rng,
  activity: Float64Array,
  files: Uint8Array,
  flag: number,
  total: number,
  cap: number,
): Int32Array {
  const counts = new Int32Array(activity.length);
  const members: number[] = [];
  let activitySum = 0;
  for (let u = 0; u < activity.length; u++) {
    if (files[u] & flag) {
      members.push(u);
      activitySum += activity[u];
    }
  }
  if (members.length === 0) return counts;
  if (total < members.length || total > members.length * cap) {
    throw new Error(
      `generateMalDataset: cannot give ${total} ratings to ${members.length} users (1..${cap} each)`,
    );
  }
  let assigned = 0;
  for (const u of members) {
    counts[u] = Math.min(cap, Math.max(1, Math.floor(total * activity[u] / activitySum)));
    assigned += counts[u];
  }
  // Settle the rounding difference one row at a time on random users, respecting the bounds.
  while (assigned !== total) {
    const u = members[rng.int(members.length)];
    if (assigned < total && counts[u] < cap) {
      counts[u]++;
      assigned++;
    } else if (assigned > total && counts[u] > 1) {
      counts[u]--;
      assigned--;
    }
  }
  return counts;
}
