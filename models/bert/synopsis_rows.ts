/**
 * Picks the items usable for score regression: a non-blank synopsis and a numeric score
 * (MyAnimeList writes "UNKNOWN" for unscored items). Unusable rows are dropped and counted,
 * so the run log can say how many were left out and why.
 */

export interface ScoredSynopses {
  /** indices of the usable rows, in input order */
  rows: Int32Array;
  /** parsed score of each usable row */
  scores: Float64Array;
  droppedEmptySynopsis: number;
  droppedNonNumericScore: number;
}

/** A finite number from a number or a numeric string; null otherwise. */
export function parseScore(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

export function selectScoredSynopses(
  synopses: readonly unknown[],
  scores: readonly unknown[],
): ScoredSynopses {
  if (synopses.length !== scores.length) {
    throw new Error(
      `synopsis and score columns differ in length: ${synopses.length} vs ${scores.length}`,
    );
  }
  const rows = new Int32Array(synopses.length);
  const parsed = new Float64Array(synopses.length);
  let kept = 0;
  let droppedEmptySynopsis = 0;
  let droppedNonNumericScore = 0;
  for (let i = 0; i < synopses.length; i++) {
    const synopsis = synopses[i];
    if (typeof synopsis !== "string" || synopsis.trim() === "") {
      droppedEmptySynopsis++;
      continue;
    }
    const score = parseScore(scores[i]);
    if (score === null) {
      droppedNonNumericScore++;
      continue;
    }
    rows[kept] = i;
    parsed[kept] = score;
    kept++;
  }
  return {
    rows: rows.slice(0, kept),
    scores: parsed.slice(0, kept),
    droppedEmptySynopsis,
    droppedNonNumericScore,
  };
}
