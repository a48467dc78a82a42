/**
 * Item features (MAL genres) as compressed rows of feature ids: kept as typed arrays, one
 * entry per (item, genre), never strings per rating.
 */
import type { Csr } from "./ratings.ts";

/** Feature names, and the ids of each item's features (rows distinct and ascending). */
export interface ItemFeatures {
  names: string[];
  byItem: Csr;
}

/**
 * Parses a list column such as MAL's `Genres` ("Action, Comedy"; "UNKNOWN" or empty: none)
 * into feature ids numbered in order of first appearance.
 */
export function parseFeatureLists(texts: readonly string[], unknown = "UNKNOWN"): ItemFeatures {
  const ids = new Map<string, number>();
  const offsets = new Int32Array(texts.length + 1);
  const values: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const row: number[] = [];
    for (const part of texts[i].split(",")) {
      const name = part.trim();
      if (name === "" || name === unknown) continue;
      let id = ids.get(name);
      if (id === undefined) ids.set(name, id = ids.size);
      if (!row.includes(id)) row.push(id);
    }
    row.sort((a, b) => a - b);
    values.push(...row);
    offsets[i + 1] = values.length;
  }
  return { names: [...ids.keys()], byItem: { offsets, values: Int32Array.from(values) } };
}

/**
 * The rows of `byRow` re-indexed: row r of the result is row `source[r]` of the input
 * (-1: an empty row). E.g. the genres of the dense items from those of the file's rows.
 */
export function selectRows(byRow: Csr, source: Int32Array): Csr {
  const offsets = new Int32Array(source.length + 1);
  for (let r = 0; r < source.length; r++) {
    const s = source[r];
    offsets[r + 1] = offsets[r] + (s < 0 ? 0 : byRow.offsets[s + 1] - byRow.offsets[s]);
  }
  const values = new Int32Array(offsets[source.length]);
  for (let r = 0; r < source.length; r++) {
    const s = source[r];
    if (s >= 0) {
      values.set(byRow.values.subarray(byRow.offsets[s], byRow.offsets[s + 1]), offsets[r]);
    }
  }
  return { offsets, values };
}

/** A CSR as two equal-length columns (item, feature), the shape an Arrow table holds. */
export function toPairs(features: Csr): { item: Int32Array; feature: Int32Array } {
  const item = new Int32Array(features.values.length);
  for (let r = 0; r + 1 < features.offsets.length; r++) {
    item.fill(r, features.offsets[r], features.offsets[r + 1]);
  }
  return { item, feature: features.values.slice() };
}

/** Pairs (item ascending, as toPairs writes them) back to rows over `nItems` items. */
export function fromPairs(item: Int32Array, feature: Int32Array, nItems: number): Csr {
  const offsets = new Int32Array(nItems + 1);
  for (let p = 0; p < item.length; p++) {
    if (p > 0 && item[p] < item[p - 1]) throw new Error("feature pairs must be sorted by item");
    offsets[item[p] + 1]++;
  }
  for (let r = 0; r < nItems; r++) offsets[r + 1] += offsets[r];
  return { offsets, values: feature };
}
