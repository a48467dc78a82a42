import type { StepContext } from "../model.ts";
import { shared } from "../svdpp/shared_memory.ts";
import {
  computeNeighbours,
  emptySlots,
  type Measure,
  type NeighbourGraph,
  neighbourScratch,
  type NeighbourSlots,
} from "./neighbours.ts";
import { runChunked } from "./parallel.ts";

/**
 * Every entity's best `k` neighbours (neighbours.ts), on this thread or `threads` workers;
 * the slots are the same for any thread count.
 */
export async function buildNeighbours(
  graph: NeighbourGraph,
  measure: Measure,
  k: number,
  threads: number,
  ctx: StepContext,
  label: string,
  unit: string,
): Promise<NeighbourSlots> {
  const keep = Math.min(k, graph.n);
  const slots = threads > 1
    ? emptySlots(graph.n, keep, (bytes) => new SharedArrayBuffer(bytes))
    : emptySlots(graph.n, keep);
  await runChunked({
    label,
    total: graph.n,
    unit,
    threads,
    local: () => {
      const scratch = neighbourScratch(graph.n, keep);
      return (from, to) => computeNeighbours(graph, measure, slots, from, to, scratch);
    },
    task: (counter, chunk) => ({
      kind: "neighbours",
      graph: sharedGraph(graph),
      measure: sharedMeasure(measure),
      slots,
      counter,
      chunk,
    }),
  }, ctx);
  return slots;
}

function sharedGraph(graph: NeighbourGraph): NeighbourGraph {
  return {
    n: graph.n,
    offsets: shared(graph.offsets),
    links: shared(graph.links),
    linkOffsets: shared(graph.linkOffsets),
    linked: shared(graph.linked),
  };
}

function sharedMeasure(measure: Measure): Measure {
  if (measure.kind === "cosine") return { ...measure, norms: shared(measure.norms) };
  return {
    kind: "product",
    linkWeight: shared(measure.linkWeight),
    rowFactor: shared(measure.rowFactor),
    columnFactor: shared(measure.columnFactor),
  };
}
