/**
 * The byte-level pieces of the WebAssembly binary format that every kernel of this project
 * assembles in TypeScript (svdpp/block_dots.ts, ials/wasm_rows.ts, linalg/wasm_encoder.ts):
 * LEB128 numbers, names, sections and vectors, and the value types. Each kernel keeps its own
 * instruction table; only the encoding is shared.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A name: its UTF-8 length, then its bytes. */
export const name = (text: string) => [...uleb(text.length), ...new TextEncoder().encode(text)];
/** A section: its id, its body's length, its body. */
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
/** A vector: its length, then its entries. */
export const vector = (entries: number[][]) => [...uleb(entries.length), ...entries.flat()];

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** The control-flow, local and i32 instructions every kernel uses; each adds its own. */
export const baseOps = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  geU: [0x4f],
};
