/**
 * TF-IDF weighting (Salton & Buckley 1988) of bags of terms, learnt on the training items
 * only, so dev and test never shape the vocabulary or the weights:
 *
 * - vocabulary: the terms found in at least `min_df` training documents, at most
 *   `max_features` of them (highest document frequency first, ties by term), columns in
 *   alphabetical order of the terms;
 * - idf(t) = ln((1 + n) / (1 + df(t))) + 1 with n training documents (scikit-learn's smooth
 *   idf: a term in every document still counts a little);
 * - tf = the count, or 1 + ln(count) with `sublinear_tf`;
 * - each row scaled to unit length (l2), so long synopses do not weigh more.
 */
import { normalizeRows, type SparseRows } from "./sparse_rows.ts";
import type { TermBags } from "./terms.ts";

export interface TfidfOptions {
  min_df: number;
  max_features: number;
  sublinear_tf: boolean;
}

export interface Vocabulary {
  /** column of each term id; -1 for terms left out */
  columnOf: Int32Array;
  /** the term and idf of each column */
  names: string[];
  idf: Float64Array;
}

/** The vocabulary and idf weights from the documents listed in `train`. */
export function fitVocabulary(
  bags: TermBags,
  train: Int32Array,
  options: TfidfOptions,
): Vocabulary {
  const df = new Int32Array(bags.names.length);
  for (const d of train) {
    for (let e = bags.offsets[d]; e < bags.offsets[d + 1]; e++) df[bags.terms[e]]++;
  }
  const frequent: number[] = [];
  for (let t = 0; t < df.length; t++) if (df[t] >= options.min_df) frequent.push(t);
  const byName = (a: number, b: number) =>
    bags.names[a] < bags.names[b] ? -1 : bags.names[a] > bags.names[b] ? 1 : 0;
  frequent.sort((a, b) => df[b] - df[a] || byName(a, b));
  const kept = frequent.slice(0, options.max_features).sort(byName);
  const columnOf = new Int32Array(df.length).fill(-1);
  const idf = new Float64Array(kept.length);
  const n = train.length;
  kept.forEach((t, column) => {
    columnOf[t] = column;
    idf[column] = Math.log((1 + n) / (1 + df[t])) + 1;
  });
  return { columnOf, names: kept.map((t) => bags.names[t]), idf };
}

/** The l2-normalised TF-IDF rows of the documents `rows`, in that order. */
export function tfidfRows(
  bags: TermBags,
  vocabulary: Vocabulary,
  rows: Int32Array,
  sublinear: boolean,
): SparseRows {
  const offsets = new Int32Array(rows.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  const row: Array<[number, number]> = [];
  for (let r = 0; r < rows.length; r++) {
    const d = rows[r];
    row.length = 0;
    for (let e = bags.offsets[d]; e < bags.offsets[d + 1]; e++) {
      const column = vocabulary.columnOf[bags.terms[e]];
      if (column < 0) continue;
      const count = bags.counts[e];
      const tf = sublinear ? 1 + Math.log(count) : count;
      row.push([column, tf * vocabulary.idf[column]]);
    }
    row.sort((a, b) => a[0] - b[0]);
    for (const [column, value] of row) {
      columns.push(column);
      values.push(value);
    }
    offsets[r + 1] = columns.length;
  }
  const x: SparseRows = {
    rows: rows.length,
    cols: vocabulary.names.length,
    offsets,
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
  };
  normalizeRows(x);
  return x;
}
