import type { StepContext } from "../model.ts";
import { shared } from "../svdpp/shared_memory.ts";
import {
  computeNeighbours,
  emptyHeaps,
  type Measure,
  mergeHeaps,
  type NeighbourGraph,
  type NeighbourHeaps,
  neighbourScratch,
  type NeighbourSlots,
  totalPairWork,
} from "./neighbours.ts";
import { runChunked } from "./parallel.ts";

/**
 * Every entity's best `k` neighbours (neighbours.ts), on this thread or `threads` workers,
 * each worker with its own heaps, merged at the end: the same for any thread count.
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
  const sets: NeighbourHeaps[] = threads > 1
    ? Array.from(
      { length: threads },
      () => emptyHeaps(graph.n, keep, (bytes) => new SharedArrayBuffer(bytes)),
    )
    : [emptyHeaps(graph.n, keep)];
  let sharedInputs: { graph: NeighbourGraph; measure: Measure } | null = null;
  await runChunked({
    label,
    count: graph.n,
    total: totalPairWork(graph),
    unit: `k pairs of ${unit}`,
    threads,
    local: () => {
      const scratch = neighbourScratch(graph.n);
      return (from, to) => computeNeighbours(graph, measure, sets[0], from, to, scratch);
    },
    task: (counter, chunk, worker) => {
      sharedInputs ??= { graph: sharedGraph(graph), measure: sharedMeasure(measure) };
      return { kind: "neighbours", ...sharedInputs, heaps: sets[worker], counter, chunk };
    },
  }, ctx);
  return mergeHeaps(sets);
}

function sharedGraph(graph: NeighbourGraph): NeighbourGraph {
  return {
    n: graph.n,
    offsets: shared(graph.offsets),
    links: shared(graph.links),
    linkOffsets: shared(graph.linkOffsets),
    linked: shared(graph.linked),
    linkPosition: shared(graph.linkPosition),
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
