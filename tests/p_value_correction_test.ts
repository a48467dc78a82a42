/** Holm and Benjamini–Hochberg adjustments against hand-worked examples. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { adjustPValues } from "../runners/compare/p_value_correction.ts";

const close = (actual: number[], expected: number[]) =>
  actual.forEach((a, i) =>
    assert.ok(
      Number.isNaN(expected[i]) ? Number.isNaN(a) : Math.abs(a - expected[i]) < 1e-12,
      `${i}: ${a} vs ${expected[i]}`,
    )
  );

// Four p-values, given out of order: sorted 0.01, 0.02, 0.03, 0.04 (m = 4).
const P = [0.03, 0.01, 0.04, 0.02];

Deno.test("Holm, by hand: 4·0.01, max(3·0.02, ·), max(2·0.03, ·), max(1·0.04, ·)", () => {
  // sorted: 0.04, 0.06, max(0.06, 0.06) = 0.06, max(0.06, 0.04) = 0.06
  close(adjustPValues(P, "holm"), [0.06, 0.04, 0.06, 0.06]);
  // the running maximum matters: 0.001·3 = 0.003, 0.2·2 = 0.4, 0.25·1 -> 0.4
  close(adjustPValues([0.25, 0.001, 0.2], "holm"), [0.4, 0.003, 0.4]);
  // capped at 1
  close(adjustPValues([0.5, 0.6], "holm"), [1, 1]);
});

Deno.test("Benjamini–Hochberg, by hand: m/i·p(i), running minimum from the top", () => {
  // sorted: 4/1·0.01 = 0.04, 4/2·0.02 = 0.04, 4/3·0.03 = 0.04, 4/4·0.04 = 0.04
  close(adjustPValues(P, "bh"), [0.04, 0.04, 0.04, 0.04]);
  // 0.01, 0.04, 0.045 (m = 3): 3·0.01 = 0.03, 1.5·0.04 = 0.06, 1·0.045 = 0.045 -> the
  // second takes the minimum above it, 0.045
  close(adjustPValues([0.045, 0.01, 0.04], "bh"), [0.045, 0.03, 0.045]);
});

Deno.test("none keeps the p-values; NaN is not a test and does not count in m", () => {
  close(adjustPValues(P, "none"), P);
  close(adjustPValues([0.01, NaN, 0.02], "holm"), [0.02, NaN, 0.02]);
  close(adjustPValues([0.01, NaN, 0.02], "bh"), [0.02, NaN, 0.02]);
  assert.deepEqual(adjustPValues([], "holm"), []);
});

Deno.test("properties: adjusted ≥ raw, ≤ 1, order kept; Holm ≥ BH", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (p) => {
      const holm = adjustPValues(p, "holm");
      const bh = adjustPValues(p, "bh");
      p.forEach((raw, i) => {
        assert.ok(holm[i] >= raw && holm[i] <= 1 && bh[i] >= raw && bh[i] <= 1);
        assert.ok(holm[i] >= bh[i] - 1e-15);
        for (let j = 0; j < p.length; j++) {
          if (p[i] < p[j]) assert.ok(holm[i] <= holm[j] && bh[i] <= bh[j]);
        }
      });
    }),
    { seed: 1 },
  );
});
