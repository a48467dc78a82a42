/**
 * Numbers parsed straight from file bytes: the MovieLens parser calls these once per field, tens
 * of millions of times, so the common case builds no string and allocates nothing. Anything
 * unusual (blanks, quotes, exponents, long mantissas) takes a slower exact path.
 * NaN means "not a number of that kind".
 */

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const DOT = 0x2e;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);
const utf8 = new TextDecoder("utf-8");
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An optionally signed run of digits (blanks and one pair of double quotes around it allowed). */
export function parseInteger(bytes: Uint8Array, start: number, end: number): number {
  const negative = start < end && bytes[start] === MINUS;
  let value = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) {
    const digit = bytes[i] - ZERO;
    if (digit < 0 || digit > 9) return parseSlow(bytes, start, end, INTEGER_TEXT);
    value = value * 10 + digit;
  }
  if (end - start === (negative ? 1 : 0)) return NaN;
  return negative ? -value : value;
}

/**
 * A decimal number such as `4`, `3.5` or `-0.25`. Computed as mantissa / 10^k, which is
 * correctly rounded (as Number() is) while both are exact doubles: up to 15 digits.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  const negative = start < end && bytes[start] === MINUS;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let seenDot = false;
  for (let i = negative ? start + 1 : start; i < end; i++) {
    const byte = bytes[i];
    if (byte >= ZERO && byte <= NINE) {
      mantissa = mantissa * 10 + (byte - ZERO);
      digits++;
      if (seenDot) fractionDigits++;
    } else if (byte === DOT && !seenDot) seenDot = true;
    else return parseSlow(bytes, start, end, DECIMAL_TEXT);
  }
  if (digits === 0 || digits > 15) return parseSlow(bytes, start, end, DECIMAL_TEXT);
  const value = mantissa / POWERS_OF_TEN[fractionDigits];
  return negative ? -value : value;
}

/** The field's text, for error messages. */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

function parseSlow(bytes: Uint8Array, start: number, end: number, shape: RegExp): number {
  let text = fieldText(bytes, start, end).trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    text = text.slice(1, -1).trim();
  }
  // Number() alone would accept "", "0x1F" and "Infinity".
  return shape.test(text) ? Number(text) : NaN;
}
