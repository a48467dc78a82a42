/**
 * Dot products of a block of user vectors with every candidate item vector, the inner loop
 * of recommend. A tiny WebAssembly SIMD kernel does it about ten times faster than scalar
 * JavaScript: each f64x2 lane holds one user, so every dot product is still summed factor by
 * factor from 0 in Float64 (WebAssembly never fuses multiply-add), bit-identical to the
 * scalar loop of estimate.ts and so to predict(). Plain JavaScript is the fallback when
 * WebAssembly SIMD is missing or the arrays outgrow 32-bit addressing.
 */
export interface BlockDots {
  /** dots[c * stride + b] = item c . user b, for the `block` user rows of `vectors` */
  compute(vectors: Float64Array, block: number): { dots: Float64Array; stride: number };
}

/**
 * @param items candidate factors, count x factors, row-major
 * @param maxBlock the most users passed to one compute()
 */
export function blockDots(
  items: Float64Array,
  count: number,
  factors: number,
  maxBlock: number,
): BlockDots {
  return wasmBlockDots(items, count, factors, maxBlock) ??
    scalarBlockDots(items, count, factors);
}

/** The plain JavaScript version (exported for tests). */
export function scalarBlockDots(items: Float64Array, count: number, f: number): BlockDots {
  let dots = new Float64Array(0);
  return {
    compute(vectors, block) {
      if (dots.length < block * count) dots = new Float64Array(block * count);
      for (let c = 0; c < count; c++) {
        for (let b = 0; b < block; b++) {
          let sum = 0;
          for (let x = 0; x < f; x++) sum += items[c * f + x] * vectors[b * f + x];
          dots[c * block + b] = sum;
        }
      }
      return { dots, stride: block };
    },
  };
}

/** Users per kernel pass: 4 f64x2 lane pairs, times 2 items, keep 8 sums in registers. */
const USERS_PER_PASS = 8;

/** The WebAssembly SIMD version, null where it cannot run (exported for tests). */
export function wasmBlockDots(
  items: Float64Array,
  count: number,
  f: number,
  maxBlock: number,
): BlockDots | null {
  const module = kernelModule(f);
  if (module === null) return null;
  const itemRows = count + (count % 2); // the kernel takes items two by two
  const userRows = Math.ceil(maxBlock / USERS_PER_PASS) * USERS_PER_PASS;
  const itemBytes = itemRows * f * 8;
  const userBytes = userRows * f * 8;
  const outBytes = userRows * itemRows * 8;
  const total = itemBytes + userBytes + outBytes;
  if (total >= 2 ** 31) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / 65536)) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernel = instance.exports.dots as (
    items: number,
    itemRows: number,
    users: number,
    userPairs: number,
    out: number,
  ) => void;
  new Float64Array(memory.buffer, 0, count * f).set(items.subarray(0, count * f));
  const users = new Float64Array(memory.buffer, itemBytes, userRows * f);
  const dots = new Float64Array(memory.buffer, itemBytes + userBytes, userRows * itemRows);
  return {
    compute(vectors, block) {
      // lane-interleave user pairs: users[(pair * f + x) * 2 + lane] = user (2 pair + lane)
      const rows = Math.ceil(block / USERS_PER_PASS) * USERS_PER_PASS;
      for (let b = 0; b < rows; b++) {
        const pairBase = (b >> 1) * f * 2 + (b & 1);
        for (let x = 0; x < f; x++) users[pairBase + 2 * x] = b < block ? vectors[b * f + x] : 0;
      }
      kernel(0, itemRows, itemBytes, rows / 2, itemBytes + userBytes);
      return { dots, stride: rows };
    },
  };
}

const modules = new Map<number, WebAssembly.Module | null>();

/** The kernel compiled for `f` factors (strides are constants), null without wasm SIMD. */
function kernelModule(f: number): WebAssembly.Module | null {
  if (!modules.has(f)) {
    const bytes = kernelBytes(f);
    modules.set(f, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return modules.get(f)!;
}

// --- a minimal WebAssembly encoder, just what the kernel needs ---

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
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

const name = (text: string) => [...uleb(text.length), ...new TextEncoder().encode(text)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vector = (entries: number[][]) => [...uleb(entries.length), ...entries.flat()];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
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
  /** v128.store, 16-byte alignment hint */
  storeV128: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  /** v128.load, 16-byte alignment hint */
  loadV128: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  /** v128.load64_splat: one f64 into both lanes */
  splatF64: (offset: number) => [0xfd, 0x0a, 3, ...uleb(offset)],
  zeroV128: [0xfd, 0x0c, ...new Array(16).fill(0)],
  addF64x2: [0xfd, ...uleb(0xf0)],
  mulF64x2: [0xfd, ...uleb(0xf2)],
};

/**
 * dots(items, itemRows, users, userPairs, out), byte addresses into the imported memory:
 *   for c in 0, 2, ... < itemRows; for pair p in 0, 4, ... < userPairs:
 *     8 f64x2 sums: items c and c+1 against lane pairs p .. p+3, over x = 0 .. f-1 in order;
 *     out[item * 2 userPairs + user] = sum  (f64, user = 2 pair + lane: whole v128 stores)
 */
function kernelBytes(f: number): Uint8Array<ArrayBuffer> {
  // parameters 0-4, then i32 locals 5-11, then v128 locals 12-22
  const [ITEMS, ITEM_ROWS, USERS, USER_PAIRS, OUT] = [0, 1, 2, 3, 4];
  const [C, P, X, QP, VP, AT, PAIR_ROW_BYTES] = [5, 6, 7, 8, 9, 10, 11];
  const SUM = 12; // 12..15 item c, 16..19 item c+1, for lane pairs p..p+3
  const [Q0, Q1, W] = [20, 21, 22];
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));

  emit(op.get(USER_PAIRS), op.i32(16), op.mul, op.set(PAIR_ROW_BYTES));
  emit(op.i32(0), op.set(C), op.block, op.loop);
  emit(op.get(C), op.get(ITEM_ROWS), op.geU, op.brIf(1));
  emit(op.i32(0), op.set(P), op.block, op.loop);
  emit(op.get(P), op.get(USER_PAIRS), op.geU, op.brIf(1));
  for (let s = 0; s < 8; s++) emit(op.zeroV128, op.set(SUM + s));
  emit(op.get(ITEMS), op.get(C), op.i32(f * 8), op.mul, op.add, op.set(QP));
  emit(op.get(USERS), op.get(P), op.i32(f * 16), op.mul, op.add, op.set(VP));
  emit(op.i32(f), op.set(X), op.loop);
  emit(op.get(QP), op.splatF64(0), op.set(Q0), op.get(QP), op.splatF64(f * 8), op.set(Q1));
  for (let k = 0; k < 4; k++) {
    emit(op.get(VP), op.loadV128(k * f * 16), op.set(W));
    emit(op.get(SUM + k), op.get(Q0), op.get(W), op.mulF64x2, op.addF64x2, op.set(SUM + k));
    emit(op.get(SUM + 4 + k), op.get(Q1), op.get(W), op.mulF64x2, op.addF64x2);
    emit(op.set(SUM + 4 + k));
  }
  emit(op.get(QP), op.i32(8), op.add, op.set(QP), op.get(VP), op.i32(16), op.add, op.set(VP));
  emit(op.get(X), op.i32(1), op.sub, op.tee(X), op.brIf(0), op.end);
  // AT = out + (c * userPairs + p) * 16: item c's sums for pairs p..p+3, then item c+1's
  emit(op.get(OUT), op.get(C), op.get(USER_PAIRS), op.mul, op.get(P), op.add, op.i32(16));
  emit(op.mul, op.add, op.set(AT));
  for (let k = 0; k < 4; k++) emit(op.get(AT), op.get(SUM + k), op.storeV128(k * 16));
  emit(op.get(AT), op.get(PAIR_ROW_BYTES), op.add, op.set(AT));
  for (let k = 0; k < 4; k++) emit(op.get(AT), op.get(SUM + 4 + k), op.storeV128(k * 16));
  emit(op.get(P), op.i32(4), op.add, op.set(P), op.br(0), op.end, op.end);
  emit(op.get(C), op.i32(2), op.add, op.set(C), op.br(0), op.end, op.end, op.end);

  const body = [...vector([[7, I32], [11, V128]]), ...code];
  const params = vector([[I32], [I32], [I32], [I32], [I32]]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...params, 0x00]])),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name("dots"), 0x00, 0x00]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}
