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

/** The closest candidate within a small edit distance, or undefined (for did-you-mean). */
export { closestName as didYouMean } from "../data/data_error.ts";
