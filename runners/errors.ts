/** Exit codes of the CLI, as DESIGN.md states them. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * A problem with what the user gave us (spec, command line, data folder). It names where
 * the problem is so it can be fixed without reading our code; the CLI exits with 2.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly location: { file?: string; path?: string; line?: number; column?: number } = {},
  ) {
    super(message);
    this.name = "UserError";
  }

  /** `file:line: field: message`, omitting what is unknown. */
  describe(): string {
    const { file, path, line, column } = this.location;
    const where = file ? `${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}` : "";
    const field = path ? `${path}: ` : "";
    return `${where ? where + ": " : ""}${field}${this.message}`;
  }
}

/** A step that failed while computing; the CLI exits with 1. */
export class StepError extends Error {
  constructor(readonly step: string, error: unknown) {
    super(`step ${step} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
    this.name = "StepError";
  }
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate within a small edit distance, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}
