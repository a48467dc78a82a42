/**
 * The design matrix of the text ridge: one block of columns per `features` entry, each a
 * TF-IDF block (tfidf.ts) learnt on the training items: synopsis words, or the values of a
 * catalogue column (genres, type, studios), each value a term counted once. Every block's
 * rows are l2-normalised on their own, so each column family weighs alike whatever its size.
 */
import type { TextRidgeFeature } from "./config.ts";
import { concatColumns, type SparseRows } from "./sparse_rows.ts";
import { fitVocabulary, type TfidfOptions, tfidfRows } from "./tfidf.ts";
import { listBags, type TermBags, wordBags } from "./terms.ts";

/** A catalogue column per item: value ids in CSR (item -> values) and the value names. */
export interface ValueLists {
  offsets: Int32Array;
  values: Int32Array;
  names: string[];
}

/** What the features can be built from, one entry per item (clean item order). */
export interface ItemColumns {
  synopsis: readonly string[];
  genres?: ValueLists;
  type?: ValueLists;
  studios?: ValueLists;
}

export interface DesignMatrix {
  /** the rows of `rows`, in order */
  x: SparseRows;
  /** `<feature>:<term>` of each column */
  names: string[];
  idf: Float64Array;
  /** columns per block, in `features` order */
  blockColumns: Record<string, number>;
}

/**
 * Rows for the items `rows` (e.g. train, dev, test concatenated); vocabularies and idf from
 * the items `train` only.
 */
export function designMatrix(
  columns: ItemColumns,
  features: readonly TextRidgeFeature[],
  train: Int32Array,
  rows: Int32Array,
  options: TfidfOptions,
): DesignMatrix {
  const blocks: SparseRows[] = [];
  const names: string[] = [];
  const idf: number[] = [];
  const blockColumns: Record<string, number> = {};
  for (const feature of features) {
    const bags = bagsOf(columns, feature);
    const vocabulary = fitVocabulary(bags, train, options);
    // a catalogue value is present or not: sublinear tf changes nothing there
    blocks.push(tfidfRows(bags, vocabulary, rows, options.sublinear_tf));
    for (const name of vocabulary.names) names.push(`${feature}:${name}`);
    idf.push(...vocabulary.idf);
    blockColumns[feature] = vocabulary.names.length;
  }
  return { x: concatColumns(blocks), names, idf: Float64Array.from(idf), blockColumns };
}

function bagsOf(columns: ItemColumns, feature: TextRidgeFeature): TermBags {
  if (feature === "synopsis") return wordBags(columns.synopsis);
  const lists = columns[feature];
  if (!lists) throw new Error(`no ${feature} column in the items`);
  return listBags(lists, lists.names);
}
