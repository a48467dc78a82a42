import type { RowSplit } from "./per_user.ts";

/** Where the global time cuts fall: each part by a time, or by a fraction of the rows. */
export interface TemporalOptions {
  /** test: rows at or after this time (seconds since 1970) ... */
  testFrom: number | null;
  /** ... or the latest fraction of all rows (used when testFrom is null) */
  test: number | null;
  /** dev: rows from this time up to the test cut ... */
  devFrom: number | null;
  /** ... or the latest fraction of all rows before the test cut; both null: no dev */
  dev: number | null;
}

export interface TemporalSplit extends RowSplit {
  /** the test cut: every test row is at or after it, every other row before it */
  testFrom: number;
  /** the dev cut (= testFrom when there is no dev part) */
  devFrom: number;
}

/**
 * A global time cut: test = rows at or after the test cut, dev = rows from the dev cut up to
 * the test cut, train = the rest, so every training row is earlier than every dev row, and
 * every dev row earlier than every test row. A fraction becomes a cut at the timestamp of the
 * row where it falls (in time order); rows sharing that timestamp all go to the later part, so
 * a part holds at least its fraction (round(fraction * n), at least 1 row for test). Parts list
 * rows in file order. Cost: a sort of the timestamps when a fraction is asked, else linear.
 */
export function temporalSplit(timestamp: Int32Array, options: TemporalOptions): TemporalSplit {
  const n = timestamp.length;
  let sorted: Int32Array | undefined;
  const ascending = () => (sorted ??= timestamp.slice().sort());
  let testFrom: number;
  if (options.testFrom !== null) testFrom = options.testFrom;
  else {
    const count = Math.min(n, Math.max(1, Math.round((options.test ?? 0) * n)));
    testFrom = count === 0 ? Infinity : ascending()[n - count];
  }
  let devFrom = testFrom;
  if (options.devFrom !== null) devFrom = Math.min(options.devFrom, testFrom);
  else if (options.dev !== null && options.dev > 0) {
    const count = Math.round(options.dev * n);
    const testStart = lowerBound(ascending(), testFrom);
    if (count > 0 && testStart > 0) devFrom = ascending()[Math.max(0, testStart - count)];
  }
  let nTest = 0, nDev = 0;
  for (let i = 0; i < n; i++) {
    const t = timestamp[i];
    if (t >= testFrom) nTest++;
    else if (t >= devFrom) nDev++;
  }
  const test = new Int32Array(nTest);
  const dev = new Int32Array(nDev);
  const train = new Int32Array(n - nTest - nDev);
  for (let i = 0, a = 0, b = 0, c = 0; i < n; i++) {
    const t = timestamp[i];
    if (t >= testFrom) test[a++] = i;
    else if (t >= devFrom) dev[b++] = i;
    else train[c++] = i;
  }
  return { train, dev, test, testFrom, devFrom };
}

/** First index of ascending `sorted` whose value is >= value. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An ISO 8601 date, or date and time (seconds optional; no zone means UTC). */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Seconds since 1970 of a spec's time: a number is taken as Unix seconds; a string must be
 * an ISO date (`2015-01-01`, midnight UTC) or date and time (`2015-01-01T12:00:00Z`; without
 * a zone, UTC). Returns undefined for anything else, including impossible dates.
 */
export function parseTime(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const match = ISO_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = "00", minute = "00", second = "00", zone] = match;
  const text = `${year}-${month}-${day}T${hour}:${minute}:${second}${normalZone(zone)}`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2015-02-30 over to March; such a date is a typo, not a time.
  const check = new Date(Date.UTC(+year, +month - 1, +day));
  if (check.getUTCMonth() !== +month - 1 || check.getUTCDate() !== +day) return undefined;
  return Math.floor(ms / 1000);
}

function normalZone(zone: string | undefined): string {
  if (zone === undefined || zone === "Z") return "Z";
  return zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}
