import type { FactorModel, Vec } from "./factors.ts";
import type { ScoringSet } from "./recommend.ts";
import type { Trainset } from "./trainset.ts";

/**
 * Copies into SharedArrayBuffer memory, so a message to a worker shares the arrays instead
 * of cloning them (structured clone keeps a SharedArrayBuffer shared), and copies back out:
 * results leave as ordinary arrays, since hashing (WebCrypto) and IPC writers refuse or
 * mishandle shared memory.
 */

type Numeric = Int32Array | Float32Array | Float64Array;

/** A copy of `array` in shared memory (the array itself if it is shared already). */
export function shared<T extends Numeric>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Kind = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Kind(new SharedArrayBuffer(array.byteLength));
  copy.set(array as ArrayLike<number>);
  return copy;
}

/** A zeroed Int32Array / Float64Array in shared memory. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/** An ordinary (unshared) copy; TypedArray.slice allocates a plain ArrayBuffer. */
export function unshared<T extends Numeric>(array: T): T {
  return array.slice() as T;
}

export function sharedModel(model: FactorModel): FactorModel {
  return mapModel(model, shared);
}

export function unsharedModel(model: FactorModel): FactorModel {
  return mapModel(model, unshared);
}

function mapModel(model: FactorModel, copy: (vec: Vec) => Vec): FactorModel {
  return {
    ...model,
    bu: copy(model.bu),
    bi: copy(model.bi),
    pu: copy(model.pu),
    qi: copy(model.qi),
    yj: model.yj === null ? null : copy(model.yj),
  };
}

/** The trainset in shared memory (training). */
export function sharedTrainset(ts: Trainset): Trainset {
  return { ...ts, ...sharedScoringSet(ts), ratings: shared(ts.ratings) };
}

/** What scoring reads of the trainset, in shared memory (recommending). */
export function sharedScoringSet(ts: ScoringSet): ScoringSet {
  return {
    userInner: shared(ts.userInner),
    itemInner: shared(ts.itemInner),
    offsets: shared(ts.offsets),
    items: shared(ts.items),
  };
}
