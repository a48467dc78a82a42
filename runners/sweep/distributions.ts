import { UserError } from "../errors.ts";
import type { z } from "zod";
import type { DistributionSchema } from "./schema.ts";

export type Distribution = z.output<typeof DistributionSchema>;

/** Rejects a range whose low end is above its high end (`source` names the field). */
export function checkDistribution(distribution: Distribution, file: string, source: string) {
  const range = "uniform" in distribution
    ? distribution.uniform
    : "loguniform" in distribution
    ? distribution.loguniform
    : "int" in distribution
    ? distribution.int
    : undefined;
  if (range && range[0] > range[1]) {
    throw new UserError(`low ${range[0]} is greater than high ${range[1]}`, {
      file,
      path: source,
    });
  }
}

/** One value drawn from a distribution with `random()` uniform in [0, 1). */
export function drawValue(distribution: Distribution, random: () => number): unknown {
  if ("uniform" in distribution) {
    const [low, high] = distribution.uniform;
    return low + random() * (high - low);
  }
  if ("loguniform" in distribution) {
    const [low, high] = distribution.loguniform;
    return Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)));
  }
  if ("int" in distribution) {
    const [low, high] = distribution.int; // both ends included
    return low + Math.floor(random() * (high - low + 1));
  }
  const values = distribution.choice;
  return values[Math.floor(random() * values.length)];
}
