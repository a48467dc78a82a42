/**
 * A problem with an input data file. The message always starts with the location
 * (`file:line: ...`, editor style) so a user can jump straight to the offending text; the
 * message itself names the field. `field` is a column name, or a spec path such as `data.dir`.
 */
export class DataError extends Error {
  /** The problem alone, without the location prefix. */
  readonly detail: string;

  constructor(
    message: string,
    public readonly file: string,
    public readonly line?: number,
    public readonly field?: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${message}`);
    this.name = "DataError";
    this.detail = message;
  }
}

/**
 * The candidate closest to `name` (case-insensitive edit distance), if it is close enough to
 * be a plausible typo: at most a third of the longer name's length, and at least 2 edits allowed.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  // Two edits always (a transposition is two), a third of the length for long names.
  const allowed = Math.max(2, Math.floor(Math.max(name.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)` when a close name exists, else "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closestName(name, candidates);
  return close === undefined ? "" : ` (did you mean "${close}"?)`;
}

/** Levenshtein distance with one rolling row. */
function editDistance(a: string, b: string): number {
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const substitution = diagonal + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(above + 1, row[j - 1] + 1, substitution);
      diagonal = above;
    }
  }
  return row[b.length];
}
