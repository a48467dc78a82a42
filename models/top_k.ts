/**
 * The `k` highest-scoring item indices, best first; ties go to the lower index so results
 * are deterministic. `candidates` restricts the items considered (null: all of them).
 * Runs in O(n log k) with a bounded min-heap over typed arrays.
 */
export function selectTopK(
  scores: Float64Array | Float32Array,
  k: number,
  candidates: Int32Array | null = null,
): Int32Array {
  const n = candidates ? candidates.length : scores.length;
  const size = Math.min(k, n);
  const heap = new Int32Array(size);
  let count = 0;
  // "a worse than b": lower score, or equal score and higher index.
  const worse = (a: number, b: number) =>
    scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) return;
      let child = left;
      if (left + 1 < count && worse(heap[left + 1], heap[left])) child = left + 1;
      if (!worse(heap[child], heap[i])) return;
      const t = heap[i];
      heap[i] = heap[child];
      heap[child] = t;
      i = child;
    }
  };
  for (let p = 0; p < n; p++) {
    const item = candidates ? candidates[p] : p;
    if (count < size) {
      let i = count++;
      heap[i] = item;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i], heap[parent])) break;
        const t = heap[i];
        heap[i] = heap[parent];
        heap[parent] = t;
        i = parent;
      }
    } else if (size > 0 && worse(heap[0], item)) {
      heap[0] = item;
      siftDown(0);
    }
  }
  // Pop the heap from worst to best into the tail of the output.
  const out = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    out[i] = heap[0];
    heap[0] = heap[--count];
    siftDown(0);
  }
  return out;
}
