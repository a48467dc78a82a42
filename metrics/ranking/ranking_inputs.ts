/**
 * Reading and checking recommendation rows and truth rows. Membership uses stamp arrays
 * (one Int32Array per catalogue, entry = mark of the last user that touched the item), so
 * each user costs time linear in its rows and allocates nothing.
 */
import type { Csr } from "../../data/ratings.ts";

/** Throws unless `truth` (or another per-user CSR, named `what`) is well formed, `nUsers` rows. */
export function checkTruthShape(truth: Csr, nUsers: number, what = "truth"): void {
  const { offsets, values } = truth;
  if (offsets.length !== nUsers + 1 || offsets[0] !== 0 || offsets[nUsers] !== values.length) {
    throw new Error(
      `${what}: offsets must have nUsers + 1 = ${nUsers + 1} entries from 0 to ` +
        `values.length = ${values.length} (got ${offsets.length} entries, ` +
        `${offsets[0]} .. ${offsets[offsets.length - 1]})`,
    );
  }
  for (let u = 0; u < nUsers; u++) {
    if (offsets[u + 1] < offsets[u]) {
      throw new Error(`${what}: offsets decrease at row ${u} (${offsets[u]} > ${offsets[u + 1]})`);
    }
  }
}

/** One more than the largest item index in the recommendations and the truth. */
export function itemBound(recs: Int32Array, truthItems: Int32Array): number {
  let max = -1;
  for (let i = 0; i < recs.length; i++) if (recs[i] > max) max = recs[i];
  for (let i = 0; i < truthItems.length; i++) if (truthItems[i] > max) max = truthItems[i];
  return max + 1;
}

/**
 * Stamps user `row`'s truth items with `mark` and returns how many distinct items it has:
 * truth is a set, so an anime listed twice for a user counts once.
 */
export function stampTruth(
  truth: Csr,
  row: number,
  stamp: Int32Array,
  mark: number,
  nItems: number,
): number {
  let distinct = 0;
  for (let j = truth.offsets[row]; j < truth.offsets[row + 1]; j++) {
    const item = truth.values[j];
    if (!(item >= 0 && item < nItems)) {
      throw new Error(
        `truth.values[${j}] = ${item} (row ${row}) is outside the items 0..${nItems - 1}`,
      );
    }
    if (stamp[item] !== mark) {
      stamp[item] = mark;
      distinct++;
    }
  }
  return distinct;
}

/**
 * Length of recommendation row `row` (entries before the first -1), after checking that
 * every item is in the catalogue, appears once, and that padding only ends the row.
 */
export function listLength(
  recs: Int32Array,
  row: number,
  k: number,
  seen: Int32Array,
  mark: number,
  nItems: number,
): number {
  const start = row * k;
  let length = k;
  for (let r = 0; r < k; r++) {
    const item = recs[start + r];
    if (item === -1) {
      if (length === k) length = r;
      continue;
    }
    if (length !== k) {
      throw new Error(`recs row ${row}: item ${item} at rank ${r + 1} follows -1 padding`);
    }
    if (!(item >= 0 && item < nItems)) {
      throw new Error(
        `recs row ${row}: item ${item} at rank ${r + 1} is outside the items 0..${nItems - 1}`,
      );
    }
    if (seen[item] === mark) {
      throw new Error(`recs row ${row}: item ${item} is recommended twice`);
    }
    seen[item] = mark;
  }
  return length;
}
