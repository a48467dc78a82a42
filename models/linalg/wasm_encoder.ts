/**
 * A minimal WebAssembly binary encoder: just what the dense kernels of this folder need
 * (integer locals and loops, v128 loads, stores, splats and lane arithmetic in f32x4 or
 * f64x2), so a kernel is assembled from bytes in TypeScript and needs no toolchain.
 */
import { baseOps, I32, name, section, sleb, uleb, V128, vector } from "../wasm/bytes.ts";

export { I32, sleb, uleb, V128 };

const simd = (code: number) => [0xfd, ...uleb(code)];

/** Instructions; memory accesses take a byte offset and use the natural alignment hint. */
export const op = {
  ...baseOps,
  ltU: [0x49],
  eqz: [0x45],
  if: [0x04, 0x40],
  /** i32.load, 4-byte alignment hint */
  loadI32: (offset: number) => [0x28, 2, ...uleb(offset)],
  loadV128: (offset: number) => [...simd(0x00), 4, ...uleb(offset)],
  storeV128: (offset: number) => [...simd(0x0b), 4, ...uleb(offset)],
  zeroV128: [...simd(0x0c), ...new Array(16).fill(0)],
};

/** Lane arithmetic of one precision: f32x4 or f64x2. */
export interface Lanes {
  /** bytes per element */
  bytes: 4 | 8;
  /** elements per v128 */
  lanes: 4 | 2;
  /** load one element into every lane */
  splat: (offset: number) => number[];
  add: number[];
  sub: number[];
  mul: number[];
  /** relaxed_madd(a, b, c) = a * b + c, fused or not as the hardware does it */
  madd: number[];
}

export const F32X4: Lanes = {
  bytes: 4,
  lanes: 4,
  splat: (offset) => [...simd(0x09), 2, ...uleb(offset)],
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  madd: simd(0x105),
};

export const F64X2: Lanes = {
  bytes: 8,
  lanes: 2,
  splat: (offset) => [...simd(0x0a), 3, ...uleb(offset)],
  add: simd(0xf0),
  sub: simd(0xf1),
  mul: simd(0xf2),
  madd: simd(0x107),
};

/** A function: its i32 parameters, locals by type, and its body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number;
  locals: [count: number, type: number][];
  code: number[];
}

/** A module of functions `(i32 ...) -> ()` over a memory imported as env.memory. */
export function moduleBytes(
  functions: WasmFunction[],
  memory: { shared: boolean; maximumPages: number },
): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(new Array(f.params).fill([I32])), 0x00]);
  // limits: flags 0x03 = shared with a maximum, 0x01 = a maximum
  const limits = [memory.shared ? 0x03 : 0x01, 0x01, ...uleb(memory.maximumPages)];
  const memoryImport = [...name("env"), ...name("memory"), 0x02, ...limits];
  const bodies = functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.code];
    body.push(...op.end);
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}
