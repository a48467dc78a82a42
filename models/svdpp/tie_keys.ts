import { PythonIntSet } from "../../data/rng/python_set.ts";
import type { TieOrder } from "../recommender_fields.ts";

/**
 * What a user's top-k is offered per candidate: `keys[c]` for catalogue position c (equal
 * scores go to the lower key, ../top_k.ts), and `itemOf[key]` the item a key stands for (null:
 * the keys are the items).
 */
export interface TieRow {
  keys: Int32Array;
  itemOf: Int32Array | null;
}

/**
 * The tie order of a request as top-k keys, so the kernel breaks ties with one array read:
 * - `item`: the keys are the dense items (the lower index wins);
 * - `python_set`: the rank in CPython's iteration of `set(candidate ids)` built in candidate
 *   order, the same for every user (the study's script filtering its set of candidates);
 * - `python_set_difference`: the rank in `candidates - seen` for the user's excluded items.
 *   CPython computes that by copying the candidate set and discarding, so nearly every user
 *   gets the copy's order (shared); the few for whom CPython takes another path (a seen set
 *   at least a quarter of the candidates' size) get their own row.
 */
export class TieKeys {
  readonly #order: TieOrder;
  readonly #shared: TieRow;
  readonly #set: PythonIntSet | null = null;
  /** dense item of each candidate id, for the python orders */
  readonly #itemOfId = new Map<number, number>();
  readonly #positionOf: Int32Array;
  /** per item: the last user (counter) that excluded it, to count distinct exclusions */
  readonly #stamp: Int32Array;
  #stampOf = 0;

  /**
   * `candidates`: distinct dense items in the order the set was built; `dense[c]` the item
   * at catalogue position c, `positionOf` its inverse (-1: not a candidate); `itemIds` the
   * raw id of each item (an int's hash in CPython is the int).
   */
  constructor(
    order: TieOrder,
    candidates: Int32Array,
    dense: Int32Array,
    positionOf: Int32Array,
    itemIds: Int32Array,
  ) {
    this.#order = order;
    this.#positionOf = positionOf;
    this.#stamp = new Int32Array(order === "python_set_difference" ? positionOf.length : 0);
    if (order === "item") {
      this.#shared = { keys: dense, itemOf: null };
      return;
    }
    const ids = new Int32Array(candidates.length);
    for (let c = 0; c < candidates.length; c++) {
      ids[c] = itemIds[candidates[c]];
      this.#itemOfId.set(ids[c], candidates[c]);
    }
    const set = PythonIntSet.from(ids);
    this.#set = set;
    const shared = newRow(dense.length);
    this.#fill(order === "python_set" ? set.values() : set.copy().values(), shared);
    this.#shared = shared;
  }

  /** Whether keys differ between users (rows then come from forUser each time). */
  get perUser(): boolean {
    return this.#order === "python_set_difference";
  }

  /** A row shared by every user; with perUser, the one most users get. */
  get shared(): TieRow {
    return this.#shared;
  }

  /**
   * The row of a user whose excluded items are `excluded` (dense, repeats allowed; they
   * are the user's Python `seen` set), written into `scratch` when it is the user's own.
   */
  forUser(excluded: ArrayLike<number>, scratch: TieRow): TieRow {
    const set = this.#set;
    if (!this.perUser || set === null) return this.#shared;
    const stamp = ++this.#stampOf;
    let distinct = 0, common = 0;
    for (let e = 0; e < excluded.length; e++) {
      const item = excluded[e];
      if (!(item >= 0 && item < this.#stamp.length) || this.#stamp[item] === stamp) continue;
      this.#stamp[item] = stamp;
      distinct++;
      if (this.#positionOf[item] >= 0) common++;
    }
    if (set.differenceKeepsCopyOrder(distinct, common)) return this.#shared;
    const seen = {
      size: distinct,
      has: (id: number) => this.#stamp[this.#itemOfId.get(id)!] === stamp,
    };
    this.#fill(set.difference(seen).values(), scratch);
    return scratch;
  }

  /** Keys = ranks in the iteration `order` of candidate ids. */
  #fill(order: Int32Array, row: TieRow): void {
    for (let rank = 0; rank < order.length; rank++) {
      const item = this.#itemOfId.get(order[rank])!;
      row.keys[this.#positionOf[item]] = rank;
      row.itemOf![rank] = item;
    }
  }
}

/** A row for one user's own keys. */
export function newRow(count: number): TieRow {
  return { keys: new Int32Array(count), itemOf: new Int32Array(count) };
}
