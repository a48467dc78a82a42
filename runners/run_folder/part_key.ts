/**
 * A held-out part of a run, as metrics.json and the per-user files name it: `test`, `dev`,
 * or one fold of a k-fold split (`test_fold1`). Every reader and writer of those names goes
 * through this module, so metrics.json and `per_user_<part>.arrow` always agree.
 */
export interface PartKey {
  /** the part of the split whose rows are the truth: test or dev */
  part: string;
  /** 1-based fold of a k-fold split; absent otherwise (or for the mean over folds) */
  fold?: number;
}

const FOLD_SUFFIX = /^(.+)_fold(\d+)$/;
const PER_USER_FILE = /^per_user_(.+)\.arrow$/;

/** `test`, `dev`, `test_fold1`: the key in metrics.json and in per-user file names. */
export function partKeyText(key: PartKey): string {
  return key.fold === undefined ? key.part : `${key.part}_fold${key.fold}`;
}

export function parsePartKey(text: string): PartKey {
  const match = text.match(FOLD_SUFFIX);
  return match ? { part: match[1], fold: Number(match[2]) } : { part: text };
}

/** The fold of a planned step (`train_fold2`, `evaluate_dev_fold2`), if it belongs to one. */
export function foldOfStep(stepName: string): number | undefined {
  const fold = stepName.match(FOLD_SUFFIX)?.[2];
  return fold === undefined ? undefined : Number(fold);
}

/** `per_user_<part>.arrow`: each user's metric values on one part. */
export function perUserFileName(key: PartKey): string {
  return `per_user_${partKeyText(key)}.arrow`;
}

/** The part a file name holds per-user values for, if it is a per-user file. */
export function partKeyOfFile(name: string): PartKey | undefined {
  const text = name.match(PER_USER_FILE)?.[1];
  return text === undefined ? undefined : parsePartKey(text);
}

/** test first, then dev, then the rest by name; a part's folds after it, by number. */
export function comparePartKeys(a: PartKey, b: PartKey): number {
  const rank = (p: string) => (p === "test" ? 0 : p === "dev" ? 1 : 2);
  return rank(a.part) - rank(b.part) || a.part.localeCompare(b.part) ||
    (a.fold ?? 0) - (b.fold ?? 0);
}

/** The same order on the text form (metrics.json keys). */
export function partOrder(a: string, b: string): number {
  return comparePartKeys(parsePartKey(a), parsePartKey(b));
}
