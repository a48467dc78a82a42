/**
 * Ratings in columnar form. Users and items are remapped to dense indices in order of
 * first appearance (the order Surprise gives inner ids and pandas groups users);
 * the original ids are kept so results can be written with them.
 */
export interface Ratings {
  /** dense user index of each row */
  user: Int32Array;
  /** dense item index of each row */
  item: Int32Array;
  rating: Float32Array;
  /** seconds since 1970 of each row, when the source has them (splits by time need them) */
  timestamp?: Int32Array;
  /** original id of dense user u */
  userIds: Int32Array;
  /** original id of dense item i */
  itemIds: Int32Array;
}

/** Compressed rows: the entries of row r are values[offsets[r] .. offsets[r+1]). */
export interface Csr {
  offsets: Int32Array;
  values: Int32Array;
}

/** Groups `rows` (indices into ratings) by user, keeping the order given within a user. */
export function csrByUser(user: Int32Array, rows: Int32Array, nUsers: number): Csr {
  const offsets = new Int32Array(nUsers + 1);
  for (let i = 0; i < rows.length; i++) offsets[user[rows[i]] + 1]++;
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, nUsers);
  const values = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[fill[user[rows[i]]]++] = rows[i];
  return { offsets, values };
}
