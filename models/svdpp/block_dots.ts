/**
 * Dot products of a block of user vectors with every candidate item vector, the inner loop
 * of recommend, and the pass that turns them into clipped scores and finds the candidates
 * that can still enter some user's top-k. A tiny WebAssembly SIMD kernel does both about ten
 * times faster than scalar JavaScript: each f64x2 lane holds one user, so every dot product
 * is still summed factor by factor from 0 in Float64 (WebAssembly never fuses multiply-add),
 * and every score adds and clips as the scalar code does, bit-identical to estimate.ts and so
 * to predict(). Plain JavaScript is the fallback when WebAssembly SIMD is missing or the
 * arrays outgrow 32-bit addressing.
 */
import { baseOps, F64, I32, name, section, uleb, V128, vector } from "../wasm/bytes.ts";
export interface BlockDots {
  /** dots[c * stride + b] = item c . user b, for the `block` user rows of `vectors` */
  compute(vectors: Float64Array, block: number): { dots: Float64Array; stride: number };
  /**
   * After compute(), for candidates from .. to-1: replaces each dot by the clipped score
   *   dots[c * stride + b] = clip((base[b] + bias[c]) + dot, low, high)
   * (NaN stays NaN) and writes to `list` the candidates where some user's score reaches
   * floors[b]; returns how many. `base` and `floors` hold `block` entries. Needs low <= high.
   */
  scores(
    from: number,
    to: number,
    base: Float64Array,
    floors: Float64Array,
    low: number,
    high: number,
    list: Int32Array,
  ): number;
}

/**
 * @param items candidate factors, count x factors, row-major
 * @param bias the candidates' b_i, count entries
 * @param maxBlock the most users passed to one compute()
 */
export function blockDots(
  items: Float64Array,
  bias: Float64Array,
  count: number,
  factors: number,
  maxBlock: number,
): BlockDots {
  return wasmBlockDots(items, bias, count, factors, maxBlock) ??
    scalarBlockDots(items, bias, count, factors);
}

/** The plain JavaScript version (exported for tests). */
export function scalarBlockDots(
  items: Float64Array,
  bias: Float64Array,
  count: number,
  f: number,
): BlockDots {
  let dots = new Float64Array(0);
  let stride = 0;
  return {
    compute(vectors, block) {
      if (dots.length < block * count) dots = new Float64Array(block * count);
      stride = block;
      for (let c = 0; c < count; c++) {
        for (let b = 0; b < block; b++) {
          let sum = 0;
          for (let x = 0; x < f; x++) sum += items[c * f + x] * vectors[b * f + x];
          dots[c * block + b] = sum;
        }
      }
      return { dots, stride };
    },
    scores(from, to, base, floors, low, high, list) {
      let listed = 0;
      for (let c = from; c < to; c++) {
        let reaches = false;
        for (let b = 0; b < stride; b++) {
          const score = base[b] + bias[c] + dots[c * stride + b];
          const clipped = score < low ? low : score > high ? high : score;
          dots[c * stride + b] = clipped;
          if (clipped >= floors[b]) reaches = true;
        }
        if (reaches) list[listed++] = c;
      }
      return listed;
    },
  };
}

/** Users per kernel pass: 4 f64x2 lane pairs, times 2 items, keep 8 sums in registers. */
const USERS_PER_PASS = 8;

/** The WebAssembly SIMD version, null where it cannot run (exported for tests). */
export function wasmBlockDots(
  items: Float64Array,
  bias: Float64Array,
  count: number,
  f: number,
  maxBlock: number,
): BlockDots | null {
  const module = kernelModule(f);
  if (module === null) return null;
  const itemRows = count + (count % 2); // the kernel takes items two by two
  const userRows = Math.ceil(maxBlock / USERS_PER_PASS) * USERS_PER_PASS;
  // items, users, dots, then base and floors (per user), bias (per item), list (per item)
  const at = { items: 0, users: itemRows * f * 8 };
  const usersEnd = at.users + userRows * f * 8;
  const dotsEnd = usersEnd + userRows * itemRows * 8;
  const layout = {
    ...at,
    dots: usersEnd,
    base: dotsEnd,
    floors: dotsEnd + userRows * 8,
    bias: dotsEnd + userRows * 16,
    list: dotsEnd + userRows * 16 + itemRows * 8,
  };
  const total = layout.list + itemRows * 4;
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
  const scoreKernel = instance.exports.scores as (
    dots: number,
    userPairs: number,
    from: number,
    to: number,
    base: number,
    bias: number,
    floors: number,
    list: number,
    low: number,
    high: number,
  ) => number;
  const buffer = memory.buffer;
  new Float64Array(buffer, 0, count * f).set(items.subarray(0, count * f));
  new Float64Array(buffer, layout.bias, count).set(bias.subarray(0, count));
  const users = new Float64Array(buffer, layout.users, userRows * f);
  const dots = new Float64Array(buffer, layout.dots, userRows * itemRows);
  const baseOf = new Float64Array(buffer, layout.base, userRows);
  const floorOf = new Float64Array(buffer, layout.floors, userRows);
  const listed = new Int32Array(buffer, layout.list, itemRows);
  let rows = 0;
  let block = 0;
  return {
    compute(vectors, blockSize) {
      block = blockSize;
      // lane-interleave user pairs: users[(pair * f + x) * 2 + lane] = user (2 pair + lane)
      rows = Math.ceil(block / USERS_PER_PASS) * USERS_PER_PASS;
      for (let b = 0; b < rows; b++) {
        const pairBase = (b >> 1) * f * 2 + (b & 1);
        for (let x = 0; x < f; x++) users[pairBase + 2 * x] = b < block ? vectors[b * f + x] : 0;
      }
      kernel(layout.items, itemRows, layout.users, rows / 2, layout.dots);
      return { dots, stride: rows };
    },
    scores(from, to, base, floors, low, high, list) {
      // padding users score NaN, which reaches no floor
      for (let b = 0; b < rows; b++) {
        baseOf[b] = b < block ? base[b] : NaN;
        floorOf[b] = b < block ? floors[b] : 0;
      }
      const { dots: d, base: bs, bias: bi, floors: fl, list: li } = layout;
      const n = scoreKernel(d, rows / 2, from, to, bs, bi, fl, li, low, high);
      list.set(listed.subarray(0, n));
      return n;
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

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

const op = {
  ...baseOps,
  /** v128.store, 16-byte alignment hint */
  storeV128: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  /** v128.load, 16-byte alignment hint */
  loadV128: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  /** v128.load64_splat: one f64 into both lanes */
  splatF64: (offset: number) => [0xfd, 0x0a, 3, ...uleb(offset)],
  zeroV128: [0xfd, 0x0c, ...new Array(16).fill(0)],
  addF64x2: [0xfd, ...uleb(0xf0)],
  mulF64x2: [0xfd, ...uleb(0xf2)],
  /** pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a, JavaScript's ternaries */
  pminF64x2: [0xfd, ...uleb(0xf6)],
  pmaxF64x2: [0xfd, ...uleb(0xf7)],
  geF64x2: [0xfd, ...uleb(0x4c)],
  splatF64x2: [0xfd, ...uleb(0x14)],
  orV128: [0xfd, ...uleb(0x50)],
  anyTrue: [0xfd, ...uleb(0x53)],
  if: [0x04, 0x40],
  /** i32.store, 4-byte alignment hint */
  storeI32: [0x36, 2, 0],
};

/** The module: `dots` and `scores`, over an imported memory. */
function kernelBytes(f: number): Uint8Array<ArrayBuffer> {
  const dotsType = [0x60, ...vector([[I32], [I32], [I32], [I32], [I32]]), 0x00];
  const scoresParams = [[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [F64], [F64]];
  const scoresType = [0x60, ...vector(scoresParams), ...vector([[I32]])];
  const dots = dotsBody(f);
  const scores = scoresBody();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([dotsType, scoresType])),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0x00], [0x01]])),
    ...section(7, vector([[...name("dots"), 0x00, 0x00], [...name("scores"), 0x00, 0x01]])),
    ...section(10, vector([[...uleb(dots.length), ...dots], [...uleb(scores.length), ...scores]])),
  ]);
}

/**
 * dots(items, itemRows, users, userPairs, out), byte addresses into the imported memory:
 *   for c in 0, 2, ... < itemRows; for pair p in 0, 4, ... < userPairs:
 *     8 f64x2 sums: items c and c+1 against lane pairs p .. p+3, over x = 0 .. f-1 in order;
 *     out[item * 2 userPairs + user] = sum  (f64, user = 2 pair + lane: whole v128 stores)
 */
function dotsBody(f: number): number[] {
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

  return [...vector([[7, I32], [11, V128]]), ...code];
}

/**
 * scores(dots, userPairs, from, to, base, bias, floors, list, low, high) -> listed:
 *   for c in from .. to-1; for pair p < userPairs (lanes: users 2p, 2p + 1):
 *     s = pmax(pmin((base[p] + splat(bias[c])) + dots[c][p], high), low); dots[c][p] = s;
 *   list[listed++] = c when s >= floors for some lane of some pair.
 * pmax(pmin(s, high), low) is `s < low ? low : s > high ? high : s` for low <= high.
 */
function scoresBody(): number[] {
  // parameters 0-9, then i32 locals 10-14, then v128 locals 15-19
  const [DOTS, USER_PAIRS, FROM, TO, BASE, BIAS, FLOORS, LIST, LOW, HIGH] = range(0, 10);
  const [C, Q, END, ROW, LISTED] = range(10, 15);
  const [ANY, S, B, LOWS, HIGHS] = range(15, 20);
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));

  emit(op.get(LOW), op.splatF64x2, op.set(LOWS), op.get(HIGH), op.splatF64x2, op.set(HIGHS));
  emit(op.get(USER_PAIRS), op.i32(16), op.mul, op.set(END));
  emit(op.i32(0), op.set(LISTED), op.get(FROM), op.set(C), op.block, op.loop);
  emit(op.get(C), op.get(TO), op.geU, op.brIf(1));
  emit(op.get(DOTS), op.get(C), op.get(END), op.mul, op.add, op.set(ROW));
  emit(op.get(BIAS), op.get(C), op.i32(8), op.mul, op.add, op.splatF64(0), op.set(B));
  emit(op.zeroV128, op.set(ANY), op.i32(0), op.set(Q), op.block, op.loop);
  emit(op.get(Q), op.get(END), op.geU, op.brIf(1));
  // S = (base + bias) + dot, in estimate.ts's order
  emit(op.get(BASE), op.get(Q), op.add, op.loadV128(0), op.get(B), op.addF64x2);
  emit(op.get(ROW), op.get(Q), op.add, op.loadV128(0), op.addF64x2);
  emit(op.get(HIGHS), op.pminF64x2, op.get(LOWS), op.pmaxF64x2, op.set(S));
  emit(op.get(ROW), op.get(Q), op.add, op.get(S), op.storeV128(0));
  emit(op.get(ANY), op.get(S), op.get(FLOORS), op.get(Q), op.add, op.loadV128(0), op.geF64x2);
  emit(op.orV128, op.set(ANY));
  emit(op.get(Q), op.i32(16), op.add, op.set(Q), op.br(0), op.end, op.end);
  emit(op.get(ANY), op.anyTrue, op.if);
  emit(op.get(LIST), op.get(LISTED), op.i32(4), op.mul, op.add, op.get(C), op.storeI32);
  emit(op.get(LISTED), op.i32(1), op.add, op.set(LISTED), op.end);
  emit(op.get(C), op.i32(1), op.add, op.set(C), op.br(0), op.end, op.end);
  emit(op.get(LISTED), op.end);
  return [...vector([[5, I32], [5, V128]]), ...code];
}
