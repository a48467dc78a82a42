import assert from "node:assert/strict";
import {
  BertConfigSchema,
  EncoderConfigSchema,
  FinetuneConfigSchema,
  HeadConfigSchema,
  parseOptions,
} from "../models/bert/config.ts";
import { parseScore, selectScoredSynopses } from "../models/bert/synopsis_rows.ts";

Deno.test("defaults follow the study: 256 tokens, frozen encoder", () => {
  const config = parseOptions(BertConfigSchema, {}, "model");
  assert.equal(config.encoder.max_length, 256);
  assert.equal(config.encoder.pooling, "mean");
  assert.equal(config.finetune, false);
  assert.deepEqual(config.head, HeadConfigSchema.parse({}));
  assert.deepEqual(config.encoder, EncoderConfigSchema.parse({}));
});

Deno.test("finetune: true means the study's settings; bad options are named", () => {
  const config = parseOptions(BertConfigSchema, { finetune: true }, "model");
  assert.deepEqual(config.finetune, FinetuneConfigSchema.parse({}));
  assert.deepEqual(
    [config.finetune && config.finetune.learning_rate, config.finetune && config.finetune.epochs],
    [2e-5, 3],
  );
  const partial = parseOptions(BertConfigSchema, { finetune: { layers: 2 } }, "model");
  assert.equal(partial.finetune && partial.finetune.batch_size, 16);
  assert.throws(
    () => parseOptions(BertConfigSchema, { finetune: { layers: "some" } }, "model"),
    /model\.finetune: expected false, true/,
  );
  assert.throws(
    () => parseOptions(BertConfigSchema, { finetune: { layers: 0 } }, "model"),
    /model\.finetune\.layers: Too small/,
  );
  assert.throws(
    () => parseOptions(BertConfigSchema, { finetune: { device: "tpu" } }, "model"),
    /model\.finetune/,
  );
});

Deno.test("unknown and invalid fields are named by path", () => {
  assert.throws(
    () => parseOptions(BertConfigSchema, { encoder: { maxLength: 128 } }, "model"),
    /model\.encoder: Unrecognized key: "maxLength"/,
  );
  assert.throws(
    () => parseOptions(BertConfigSchema, { head: { hidden: [0] } }, "model"),
    /model\.head\.hidden\.0:/,
  );
  assert.throws(
    () => parseOptions(BertConfigSchema, { encoder: { batch_size: 0 } }, "model"),
    /model\.encoder\.batch_size:/,
  );
});

Deno.test("scores parse from numbers and numeric strings only", () => {
  assert.equal(parseScore(8.5), 8.5);
  assert.equal(parseScore(" 7.25 "), 7.25);
  for (const bad of ["UNKNOWN", "", "  ", NaN, Infinity, null, undefined, {}]) {
    assert.equal(parseScore(bad), null, String(bad));
  }
});

Deno.test("rows without a synopsis or a numeric score are dropped and counted", () => {
  const picked = selectScoredSynopses(
    ["A hero.", "", "A villain.", "   ", "A cat.", null],
    ["8.1", "7.0", "UNKNOWN", 6, 5.5, 9],
  );
  assert.deepEqual([...picked.rows], [0, 4]);
  assert.deepEqual([...picked.scores], [8.1, 5.5]);
  assert.equal(picked.droppedEmptySynopsis, 3);
  assert.equal(picked.droppedNonNumericScore, 1);
  assert.throws(() => selectScoredSynopses(["a"], []), /differ in length: 1 vs 0/);
});
