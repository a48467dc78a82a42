/**
 * CPython's `set` of non-negative ints (Objects/setobject.c, 3.11), replayed for one thing:
 * the order a `for x in s` loop visits the elements. The study's script sorted (stably) a
 * list built by iterating a set of anime ids, so where predictions tie, this order decides.
 *
 * What makes the order: an int's hash is the int itself (below 2**61 - 1), so an element's
 * home slot is `id & mask`; a taken slot sends the probe on to the next LINEAR_PROBES slots,
 * then to `(i * 5 + 1 + perturb) & mask` with perturb = hash >> 5 more each round; the table
 * starts at 8 slots and grows when 3/5 of it is filled (by insertions; discards leave dummies
 * that still count); growing re-inserts the live elements in old-table order. Iteration walks
 * the slots in order. tests/python_set_test.ts checks every path against orders from a real
 * CPython 3.11 (tests/fixtures/python/make.py).
 */

/** Members a set difference removes: `len(other)` matters to CPython, and membership. */
export interface SetLike {
  readonly size: number;
  has(value: number): boolean;
}

const PYSET_MINSIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;
/** slot markers: ids are non-negative */
const UNUSED = -1;
const DUMMY = -2;

export class PythonIntSet implements SetLike {
  #table = new Int32Array(PYSET_MINSIZE).fill(UNUSED);
  #mask = PYSET_MINSIZE - 1;
  /** slots holding an element or a dummy */
  #fill = 0;
  /** elements */
  #used = 0;

  /** `set(values)`: the values added one by one, in the given order (repeats allowed). */
  static from(values: ArrayLike<number>): PythonIntSet {
    const set = new PythonIntSet();
    for (let i = 0; i < values.length; i++) set.add(values[i]);
    return set;
  }

  get size(): number {
    return this.#used;
  }

  /** table slots, a power of two */
  get slots(): number {
    return this.#mask + 1;
  }

  /** The elements in iteration order (`list(s)`). */
  values(): Int32Array {
    const out = new Int32Array(this.#used);
    let n = 0;
    for (const key of this.#table) if (key >= 0) out[n++] = key;
    return out;
  }

  has(value: number): boolean {
    return this.#table[this.#lookup(checkId(value))] === value;
  }

  /** `s.add(value)` (set_add_entry): a dummy on the probe path is reused. */
  add(value: number): void {
    const key = checkId(value);
    const table = this.#table;
    const mask = this.#mask;
    let freeslot = -1;
    let perturb = key;
    let i = key & mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = i; j <= i + probes; j++) {
        const slot = table[j];
        if (slot === UNUSED) {
          if (freeslot >= 0) {
            table[freeslot] = key;
            this.#used++;
            return;
          }
          table[j] = key;
          this.#fill++;
          this.#used++;
          if (this.#fill * 5 >= mask * 3) this.#resize(growTo(this.#used));
          return;
        }
        if (slot === key) return;
        // the last dummy seen, as 3.11 does (the fixture's mutations pin it)
        if (slot === DUMMY) freeslot = j;
      }
      perturb >>>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /** `s.discard(value)`: the slot becomes a dummy, which still counts toward the fill. */
  discard(value: number): void {
    const at = this.#lookup(checkId(value));
    if (this.#table[at] !== value) return;
    this.#table[at] = DUMMY;
    this.#used--;
  }

  /** `s.copy()` (set_merge into an empty set): sized for twice the elements. */
  copy(): PythonIntSet {
    const copy = new PythonIntSet();
    if (this.#used === 0) return copy;
    if (this.#used * 5 >= copy.#mask * 3) copy.#resize(this.#used * 2);
    if (copy.#mask === this.#mask && this.#fill === this.#used) {
      copy.#table.set(this.#table);
    } else {
      for (const key of this.#table) if (key >= 0) insertClean(copy.#table, copy.#mask, key);
    }
    copy.#fill = copy.#used = this.#used;
    return copy;
  }

  /**
   * `s - other` for a set `other`, or `s.difference(other)` for a list (`otherIsSet`
   * false). A set more than 4 times smaller than s is handled by copying s and discarding
   * (the order is the copy's, unless discards leave over a quarter of the table dummies);
   * otherwise s is iterated into a fresh set.
   */
  difference(other: SetLike, otherIsSet = true): PythonIntSet {
    if (!otherIsSet || this.#used >> 2 > other.size) {
      const result = this.copy();
      result.#discardAll(other);
      return result;
    }
    const result = new PythonIntSet();
    for (const key of this.#table) if (key >= 0 && !other.has(key)) result.add(key);
    return result;
  }

  /**
   * Whether `s - other` keeps the order of `s.copy()` (minus other's members), given
   * len(other) and how many of s's elements it holds: the usual case, which lets a caller
   * with many `other`s order them all from one copy.
   */
  differenceKeepsCopyOrder(otherSize: number, common: number): boolean {
    if (this.#used >> 2 <= otherSize) return false;
    const copyMask = this.#used * 5 >= (PYSET_MINSIZE - 1) * 3
      ? tableSizeAbove(this.#used * 2) - 1
      : PYSET_MINSIZE - 1;
    return !dummiesResize(common, copyMask);
  }

  /** set_difference_update_internal's discards, then its resize if dummies abound. */
  #discardAll(other: SetLike): void {
    for (const key of this.#table) if (key >= 0 && other.has(key)) this.discard(key);
    if (dummiesResize(this.#fill - this.#used, this.#mask)) this.#resize(growTo(this.#used));
  }

  /** set_lookkey: the slot holding value, or the unused slot that ends its probe path. */
  #lookup(key: number): number {
    const table = this.#table;
    const mask = this.#mask;
    let perturb = key;
    let i = key & mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = i; j <= i + probes; j++) {
        if (table[j] === UNUSED || table[j] === key) return j;
      }
      perturb >>>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /** set_table_resize: the smallest table above minused, live elements in old-table order. */
  #resize(minused: number): void {
    const size = tableSizeAbove(minused);
    const old = this.#table;
    // CPython keeps an 8-slot table without dummies as it is
    if (size === PYSET_MINSIZE && old.length === PYSET_MINSIZE && this.#fill === this.#used) {
      return;
    }
    const table = new Int32Array(size).fill(UNUSED);
    for (const key of old) if (key >= 0) insertClean(table, size - 1, key);
    this.#table = table;
    this.#mask = size - 1;
    this.#fill = this.#used;
  }
}

/** set_insert_clean: into a table with no dummies and no copy of key. */
function insertClean(table: Int32Array, mask: number, key: number): void {
  let perturb = key;
  let i = key & mask;
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = i; j <= i + probes; j++) {
      if (table[j] === UNUSED) {
        table[j] = key;
        return;
      }
    }
    perturb >>>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/** The minimum size set_add_entry and the difference update ask a resize for. */
function growTo(used: number): number {
  return used > 50000 ? used * 2 : used * 4;
}

function tableSizeAbove(minused: number): number {
  let size = PYSET_MINSIZE;
  while (size <= minused) size *= 2;
  return size;
}

/** After a difference update: more than a quarter of the table dummies triggers a resize. */
function dummiesResize(dummies: number, mask: number): boolean {
  return dummies > Math.floor(mask / 4);
}

/** Python hashes an int below 2**61 - 1 to itself; the table math here needs int32 ids. */
function checkId(value: number): number {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0x7fffffff)) {
    throw new Error(`python set: id ${value} is not an integer in 0..2^31-1`);
  }
  return value;
}
