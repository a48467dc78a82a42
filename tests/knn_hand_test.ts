/**
 * ItemKNN, RP3beta and UserKNN on a 4 x 5 matrix worked by hand: the expected similarities
 * are written out below with their arithmetic, then the lists they give.
 *
 *        i0 i1 i2 i3 i4        item popularity: 3 3 2 2 1
 *   u0 [  1  1  0  0  1 ]      user counts:     u0 3, u1 2, u2 3, u3 3
 *   u1 [  1  0  1  0  0 ]
 *   u2 [  0  1  1  1  0 ]
 *   u3 [  1  1  0  1  0 ]
 *
 * Users shared by two items (co-occurrences): i0-i1 {u0,u3} 2, i0-i2 {u1} 1, i0-i3 {u3} 1,
 * i0-i4 {u0} 1, i1-i2 {u2} 1, i1-i3 {u2,u3} 2, i1-i4 {u0} 1, i2-i3 {u2} 1, i2-i4 0, i3-i4 0.
 */
import assert from "node:assert/strict";
import { itemknn, rp3beta, userknn } from "../models/knn/mod.ts";
import type { Table } from "../runners/table.ts";
import {
  assertClose,
  dataOfMatrix,
  denseWeights,
  excludeSeen,
  recordingContext,
} from "./knn_helpers.ts";

const X = [
  [1, 1, 0, 0, 1],
  [1, 0, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [1, 1, 0, 1, 0],
];
const data = dataOfMatrix(X);
const r2 = Math.sqrt(2);
const r3 = Math.sqrt(3);
const allUsers = Int32Array.of(0, 1, 2, 3);

async function lists(
  model: typeof itemknn | typeof rp3beta,
  config: Record<string, unknown>,
  params: Table,
  k: number,
  exclude = true,
) {
  const out = await model.recommend!(
    // deno-lint-ignore no-explicit-any
    config as any,
    params,
    data,
    { users: allUsers, k, exclude: exclude ? excludeSeen(X) : null, candidates: null },
    recordingContext(),
  );
  return Array.from({ length: 4 }, (_, u) => [...out.subarray(u * k, (u + 1) * k)]);
}

Deno.test("itemknn by hand: cosine with shrink 1, top-2 per column, ties to the lower index", async () => {
  const config = itemknn.config.parse({ k_neighbors: 2, shrink: 1 });
  const params = await itemknn.fit(config, data, recordingContext());
  // |x_i| = sqrt(popularity): sqrt3 sqrt3 sqrt2 sqrt2 1; S_ij = c_ij / (|x_i||x_j| + 1)
  const s01 = 2 / (r3 * r3 + 1); // 2 / 4 = 0.5
  const s02 = 1 / (r3 * r2 + 1); // 1 / 3.449 = 0.2899 (also s03, s12)
  const s04 = 1 / (r3 * 1 + 1); // 1 / 2.732 = 0.3660 (also s14)
  const s13 = 2 / (r3 * r2 + 1); // 0.5798
  const s23 = 1 / (r2 * r2 + 1); // 1 / 3 = 0.3333
  // Column j keeps its best two rows i (i != j):
  //   col 0: s10 .5, s40 .366 | s20 = s30 = .2899 cut
  //   col 1: s31 .5798, s01 .5 | s41 .366, s21 .2899 cut
  //   col 2: s32 .3333, then s02 = s12 = .2899 tie at the cut: i0 stays (lower index)
  //   col 3: s13 .5798, s23 .3333 | s03 .2899 cut
  //   col 4: s04 = s14 = .366, the only nonzero ones
  const expected = [
    [0, s01, s02, 0, s04],
    [s01, 0, 0, s13, s04],
    [0, 0, 0, s23, 0],
    [0, s13, s23, 0, 0],
    [s04, 0, 0, 0, 0],
  ];
  assertClose(denseWeights(params, 5), expected);
  // scores = X.S; u0 (i0, i1, i4): rows 0 + 1 + 4 = [.866, .5, .2899, .5798, .732]
  //   unseen: i3 .5798, i2 .2899
  // u1 (i0, i2): rows 0 + 2 = [0, .5, .2899, .3333, .366] -> unseen: i1 .5, i4 .366
  // u2 (i1, i2, i3): rows 1 + 2 + 3 = [.5, .5798, .3333, .9131, .366] -> unseen: i0 .5, i4
  // u3 (i0, i1, i3): rows 0 + 1 + 3 = [.5, 1.0798, .6232, .5798, .732] -> unseen: i4, i2
  assert.deepEqual(await lists(itemknn, config, params, 2), [[3, 2], [1, 4], [0, 4], [4, 2]]);
  // seen items kept: u0's best are i0 .866, i4 .732, i3 .5798
  assert.deepEqual((await lists(itemknn, config, params, 3, false))[0], [0, 4, 3]);
});

Deno.test("rp3beta by hand: alpha 1, beta 0.5, top-2 per row", async () => {
  const config = rp3beta.config.parse({ alpha: 1, beta: 0.5, k_neighbors: 2 });
  const params = await rp3beta.fit(config, data, recordingContext());
  // W_ij = (1/pop_i) * sum over shared users of (1/n_u) / sqrt(pop_j); every n_u is 3 but
  // n_u1 = 2. Row 0 (1/3): w01 = 1/3 (1/3 + 1/3) / sqrt3 = .1283, w02 = 1/3 * 1/2 / sqrt2 =
  // .1179, w03 = 1/3 * 1/3 / sqrt2 = .0786, w04 = 1/3 * 1/3 / 1 = .1111 -> keeps j1, j2
  const w01 = (1 / 3) * (2 / 3) / r3;
  const w02 = (1 / 3) * (1 / 2) / r2;
  // Row 1 (1/3): w10 = 1/3 * 2/3 / sqrt3 = .1283, w12 = 1/3 * 1/3 / sqrt2 = .0786,
  // w13 = 1/3 * 2/3 / sqrt2 = .1571, w14 = 1/3 * 1/3 = .1111 -> keeps j3, j0
  const w10 = (1 / 3) * (2 / 3) / r3;
  const w13 = (1 / 3) * (2 / 3) / r2;
  // Row 2 (1/2): w20 = 1/2 * 1/2 / sqrt3 = .1443, w21 = 1/2 * 1/3 / sqrt3 = .0962,
  // w23 = 1/2 * 1/3 / sqrt2 = .1179 -> keeps j0, j3
  const w20 = (1 / 2) * (1 / 2) / r3;
  const w23 = (1 / 2) * (1 / 3) / r2;
  // Row 3 (1/2): w30 = 1/2 * 1/3 / sqrt3 = .0962, w31 = 1/2 * 2/3 / sqrt3 = .1925,
  // w32 = 1/2 * 1/3 / sqrt2 = .1179 -> keeps j1, j2
  const w31 = (1 / 2) * (2 / 3) / r3;
  const w32 = (1 / 2) * (1 / 3) / r2;
  // Row 4 (1/1): w40 = w41 = 1 * 1/3 / sqrt3 = .1925, the only nonzero ones
  const w40 = 1 * (1 / 3) / r3;
  const expected = [
    [0, w01, w02, 0, 0],
    [w10, 0, 0, w13, 0],
    [w20, 0, 0, w23, 0],
    [0, w31, w32, 0, 0],
    [w40, w40, 0, 0, 0],
  ];
  assertClose(denseWeights(params, 5), expected);
  // scores = X.W; u0 (i0, i1, i4): rows 0 + 1 + 4 = [.3208, .3208, .1179, .1571, 0]
  //   unseen: i3 .1571, i2 .1179
  // u1 (i0, i2): rows 0 + 2 = [.1443, .1283, .1179, .1179, 0]: unseen i1 .1283, i3 .1179
  // u2 (i1, i2, i3): rows 1 + 2 + 3 = [.2726, .1925, .1179, .2750, 0] -> i0, then i4 at 0
  // u3 (i0, i1, i3): rows 0 + 1 + 3 = [.1283, .3208, .2357, .1571, 0] -> i2 .2357, i4 at 0
  assert.deepEqual(await lists(rp3beta, config, params, 2), [[3, 2], [1, 3], [0, 4], [2, 4]]);

  // k 1: row 4's tie w40 = w41 keeps the lower j
  const one = await rp3beta.fit({ ...config, k_neighbors: 1 }, data, recordingContext());
  assertClose([denseWeights(one, 5)[4]], [[w40, 0, 0, 0, 0]]);
});

Deno.test("userknn by hand: cosine over users, shrink 1, top-2 per column", async () => {
  const config = userknn.config.parse({ k_neighbors: 2, shrink: 1 });
  const params = await userknn.fit(config, data, recordingContext());
  // items shared: u0-u1 {i0} 1, u0-u2 {i1} 1, u0-u3 {i0,i1} 2, u1-u2 {i2} 1, u1-u3 {i0} 1,
  // u2-u3 {i1,i3} 2; |x_u| = sqrt3 sqrt2 sqrt3 sqrt3
  const s01 = 1 / (r3 * r2 + 1); // .2899 (also s12, s13)
  const s03 = 2 / (r3 * r3 + 1); // .5 (also s23)
  // s02 = 1 / (3 + 1) = .25
  // col 0: s30 .5, s10 .2899 | s20 .25 cut
  // col 1: s01 = s21 = s31 = .2899, a three-way tie: u0 and u2 stay (lower indices)
  // col 2: s32 .5, s12 .2899 | s02 .25 cut
  // col 3: s03 = s23 = .5 | s13 .2899 cut
  const expected = [
    [0, s01, 0, s03],
    [s01, 0, s01, 0],
    [0, s01, 0, s03],
    [s03, 0, s03, 0],
  ];
  assertClose(denseWeights(params, 4), expected);
  // scores_u = sum_v S_uv x_v (row u of S.X):
  // u0: .2899 x_1 + .5 x_3 = [.7899, .5, .2899, .5, 0] -> unseen i3 .5, i2 .2899
  // u1: .2899 (x_0 + x_2) = [.2899, .5798, .2899, .2899, .2899] -> i1, then the tie i3 = i4: i3
  // u2: .2899 x_1 + .5 x_3 = [.7899, .5, .2899, .5, 0] -> unseen i0 .7899, i4 at 0
  // u3: .5 (x_0 + x_2) = [.5, 1, .5, .5, .5] -> unseen i2 .5, i4 .5 (tie: i2)
  assert.deepEqual(await lists(userknn, config, params, 2), [[3, 2], [1, 3], [0, 4], [2, 4]]);
});
