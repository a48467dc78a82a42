/**
 * The `items` cap of the linear models: the `cap` items with the most interactions, equal
 * counts to the lower item index, returned in ascending item order (so a user's items, which
 * are ascending, stay ascending once renumbered). null or a cap >= the catalogue: all items.
 */
export function mostPopular(counts: Int32Array, cap: number | null): Int32Array {
  const n = counts.length;
  if (cap === null || cap >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, cap).sort();
}

/** position of each item in `kept`, -1 for items left out */
export function positions(kept: Int32Array, nItems: number): Int32Array {
  const at = new Int32Array(nItems).fill(-1);
  for (let p = 0; p < kept.length; p++) at[kept[p]] = p;
  return at;
}

/**
 * X restricted to the kept items, renumbered by their position in `kept`: by user (CSR, items
 * ascending) and by kept item (the users of each, ascending).
 */
export function restrictItems(
  userOffsets: Int32Array,
  userItems: Int32Array,
  kept: Int32Array,
  nItems: number,
): {
  userOffsets: Int32Array;
  userItems: Int32Array;
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
} {
  const at = positions(kept, nItems);
  const nUsers = userOffsets.length - 1;
  const offsets = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) {
    let count = 0;
    for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) if (at[userItems[p]] >= 0) count++;
    offsets[u + 1] = offsets[u] + count;
  }
  const items = new Int32Array(offsets[nUsers]);
  const itemOffsets = new Int32Array(kept.length + 1);
  for (let u = 0, q = 0; u < nUsers; u++) {
    for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) {
      const i = at[userItems[p]];
      if (i >= 0) {
        items[q++] = i;
        itemOffsets[i + 1]++;
      }
    }
  }
  for (let i = 0; i < kept.length; i++) itemOffsets[i + 1] += itemOffsets[i];
  const itemUsers = new Int32Array(items.length);
  const fill = itemOffsets.slice(0, kept.length);
  for (let u = 0; u < nUsers; u++) {
    for (let p = offsets[u]; p < offsets[u + 1]; p++) itemUsers[fill[items[p]]++] = u;
  }
  return { userOffsets: offsets, userItems: items, itemOffsets, itemUsers };
}
