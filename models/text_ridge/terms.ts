/**
 * Documents as bags of terms: each document's distinct term ids with their counts, the ids
 * shared by all documents. Synopses become words here; a catalogue column (genres, studios,
 * type) arrives as lists of value ids and becomes a bag of count-1 terms.
 */

export interface TermBags {
  /** documents + 1 entries: document d is entries offsets[d] .. offsets[d + 1] */
  offsets: Int32Array;
  /** term ids, ascending within a document */
  terms: Int32Array;
  counts: Float64Array;
  /** the term of each id */
  names: string[];
}

/**
 * Word tokens of a text: lower-cased (Unicode), then every run of two or more letters or
 * digits (`[\p{L}\p{N}]{2,}`). Punctuation, apostrophes and hyphens separate words
 * ("hero's" -> "hero"; "mecha-pilot" -> "mecha", "pilot"); one-character tokens are
 * dropped, as scikit-learn's default token pattern drops them.
 */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
const WORD = /[\p{L}\p{N}]{2,}/gu;

/** Each text's words, counted; ids numbered in order of first appearance. */
export function wordBags(texts: readonly string[]): TermBags {
  const ids = new Map<string, number>();
  return bagsOf(texts.length, (d, add) => {
    for (const word of tokenize(texts[d])) {
      let id = ids.get(word);
      if (id === undefined) ids.set(word, id = ids.size);
      add(id);
    }
  }, () => [...ids.keys()]);
}

/**
 * Value lists as bags: document d holds values[offsets[d] .. offsets[d + 1]] (ids into
 * `names`), each counted once.
 */
export function listBags(
  lists: { offsets: Int32Array; values: Int32Array },
  names: string[],
): TermBags {
  return bagsOf(
    lists.offsets.length - 1,
    (d, add) => {
      for (let e = lists.offsets[d]; e < lists.offsets[d + 1]; e++) add(lists.values[e]);
    },
    () => names,
    true,
  );
}

function bagsOf(
  documents: number,
  each: (document: number, add: (term: number) => void) => void,
  names: () => string[],
  once = false,
): TermBags {
  const offsets = new Int32Array(documents + 1);
  const terms: number[] = [];
  const counts: number[] = [];
  const inDocument = new Map<number, number>();
  for (let d = 0; d < documents; d++) {
    inDocument.clear();
    each(d, (term) => inDocument.set(term, once ? 1 : (inDocument.get(term) ?? 0) + 1));
    const sorted = [...inDocument.keys()].sort((a, b) => a - b);
    for (const term of sorted) {
      terms.push(term);
      counts.push(inDocument.get(term)!);
    }
    offsets[d + 1] = terms.length;
  }
  return {
    offsets,
    terms: Int32Array.from(terms),
    counts: Float64Array.from(counts),
    names: names(),
  };
}
