/**
 * The one shape of ItemKNN, UserKNN and RP3beta: fit keeps the best k neighbours of every
 * item (or user) under the model's measure as sparse rows; recommend scores X.W (items) or
 * W.X (users) from those rows. A model file says only what sets it apart; its `modules`
 * (its own file, which imports this one) keep its fingerprint to the code it runs.
 */
import type { z } from "zod";
import type { ModelDefinition } from "../model.ts";
import { type Interactions, interactions } from "../implicit/interactions.ts";
import { buildNeighbours } from "./build.ts";
import type { NeighbourConfig } from "./config.ts";
import { type Measure, neighbourGraph } from "./neighbours.ts";
import { recommendNeighbourhood } from "./recommend.ts";
import type { ScoreBasis } from "./score.ts";
import { columnsOfSlots, rowsFromTable, rowsOfSlots, rowsToTable } from "./sparse_rows.ts";

/** What sets one neighbourhood model apart. */
export interface NeighbourhoodModel<C extends NeighbourConfig> {
  type: string;
  description: string;
  /** `[import.meta.url]` of the model's file */
  modules: string[];
  config: z.ZodType<C>;
  /** whose neighbours are kept: items' (scores = X.W) or users' (scores = W.X) */
  basis: ScoreBasis;
  /** the weight of a pair of entities over X */
  measure(x: Interactions, config: C): Measure;
  /**
   * where the best k are cut: per column of W (entity e keeps the best e's, so row e holds
   * those whose column kept e) or per row (row e holds e's own best)
   */
  cut: "column" | "row";
  /** the weights' name in the progress label, e.g. "similarity" */
  weightsLabel: string;
  /** the fit's log line, given how many weights were kept */
  summary(kept: number, x: Interactions): string;
}

export function neighbourhoodModel<C extends NeighbourConfig>(
  model: NeighbourhoodModel<C>,
): ModelDefinition<C> {
  const { type, basis } = model;
  return {
    type,
    modules: model.modules,
    description: model.description,
    config: model.config,
    async fit(config, data, ctx) {
      const x = interactions(data, config.threshold);
      const graph = basis === "items"
        ? neighbourGraph(x.itemOffsets, x.itemUsers, x.userOffsets, x.userItems)
        : neighbourGraph(x.userOffsets, x.userItems, x.itemOffsets, x.itemUsers);
      const slots = await buildNeighbours(
        graph,
        model.measure(x, config),
        config.k_neighbors,
        config.threads,
        ctx,
        `${type} ${model.weightsLabel}`,
        basis,
      );
      const rows = model.cut === "column" ? columnsOfSlots(slots) : rowsOfSlots(slots);
      ctx.log(model.summary(rows.columns.length, x));
      return rowsToTable(rows);
    },
    recommend(config, params, data, request, ctx) {
      const x = interactions(data, config.threshold);
      return recommendNeighbourhood(
        rowsFromTable(params, basis === "items" ? data.nItems : data.nUsers, type),
        { offsets: x.userOffsets, items: x.userItems },
        basis,
        data.nItems,
        request,
        config.threads,
        ctx,
        `${type} recommend`,
      );
    },
  };
}

/** The cosine with shrinkage of binary vectors: the norm of entity e is sqrt(its count). */
export function binaryCosine(counts: Int32Array, shrink: number): Measure {
  return { kind: "cosine", norms: Float64Array.from(counts, Math.sqrt), shrink };
}
