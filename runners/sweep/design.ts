import { UserError } from "../errors.ts";
import type { Override } from "../spec/overrides.ts";
import type { Experiment } from "../spec/schema.ts";
import { checkDistribution } from "./distributions.ts";
import { type RandomAxis, type SweepDesign, trialCount } from "./expand.ts";
import { checkSweptPath } from "./field_paths.ts";
import type { GridAxis } from "./set_arguments.ts";

/** More trials than this is surely a typo in a list, not a plan. */
export const MAX_TRIALS = 10_000;

/**
 * Merges the spec's `sweep:` block (fixed overrides applied) with the command line into one
 * design and checks it. The command line wins: a `--set` list replaces the block's axis on
 * the same path, a fixed `--set` removes it.
 */
export function sweepDesign(
  base: Experiment,
  command: { fixed: Override[]; axes: GridAxis[] },
  file: string,
): SweepDesign {
  const block = base.sweep;
  const method = block?.method ?? "grid";
  const fixedPaths = new Set(command.fixed.map((o) => o.path.join(".")));
  const grid = new Map<string, GridAxis>();
  for (const [path, values] of Object.entries(block?.grid ?? {})) {
    grid.set(path, { path: path.split("."), values, source: `sweep.grid.${path}` });
  }
  const random = new Map<string, RandomAxis>();
  for (const [path, distribution] of Object.entries(block?.random ?? {})) {
    const source = `sweep.random.${path}`;
    if (method !== "random") {
      throw new UserError("distributions are drawn only in a random sweep (sweep.method: random)", {
        file,
        path: source,
      });
    }
    random.set(path, { path: path.split("."), distribution, source });
  }
  for (const axis of command.axes) {
    const path = axis.path.join(".");
    random.delete(path);
    grid.set(path, axis);
  }
  for (const path of fixedPaths) {
    grid.delete(path);
    random.delete(path);
  }

  for (const axis of grid.values()) {
    checkSweptPath(axis.path, base, file, axis.source);
    if (axis.values.length === 0) {
      throw new UserError("empty list of values: a grid axis needs at least one", {
        file,
        path: axis.source,
      });
    }
  }
  for (const axis of random.values()) {
    checkSweptPath(axis.path, base, file, axis.source);
    checkDistribution(axis.distribution, file, axis.source);
  }
  if (method === "grid") {
    if (block?.trials != null) {
      throw new UserError("only a random sweep has trials; a grid sweep tries every combination", {
        file,
        path: "sweep.trials",
      });
    }
    if (grid.size === 0) {
      throw new UserError(
        block
          ? "nothing to sweep: sweep.grid has no axes (and no --set a.b=v1,v2 was given)"
          : "nothing to sweep: give a `sweep:` block or --set a.b=v1,v2",
        { file, path: block ? "sweep.grid" : undefined },
      );
    }
  } else {
    if (block?.trials == null) {
      throw new UserError("a random sweep needs the number of trials", {
        file,
        path: "sweep.trials",
      });
    }
    if (random.size === 0) {
      throw new UserError("a random sweep needs at least one distribution", {
        file,
        path: "sweep.random",
      });
    }
  }

  const design: SweepDesign = {
    grid: [...grid.values()],
    random: [...random.values()],
    draws: block?.trials ?? 1,
    seed: block?.seed ?? 0,
  };
  const count = trialCount(design);
  if (count > MAX_TRIALS) {
    throw new UserError(`${count} trials: more than ${MAX_TRIALS} is surely a mistake`, {
      file,
      path: "sweep",
    });
  }
  return design;
}
