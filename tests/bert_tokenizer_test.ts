import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { loadTokenizer } from "../models/bert/tokenizer.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";
import {
  basicTokenize,
  buildWordPieceVocab,
  SPECIAL_TOKENS,
} from "../models/bert/wordpiece_vocab.ts";
import { caught } from "./helpers/assert.ts";

const REAL_TOKENIZER = "/work/shared/models/bert-base-uncased-tokenizer";

const CORPUS = [
  "A lonely robot finds a cat in the ruins.",
  "The café owner's daughter becomes a pilot!",
  "Robots, cats and pilots: a naïve story about growing up.",
  "In Tokyo, the mecha pilots fight; the city burns.",
];

/** Greedy longest-match-first WordPiece, as in BERT's reference tokenization.py. */
function wordPiece(word: string, vocab: Map<string, number>): number[] {
  const unk = vocab.get("[UNK]")!;
  const chars = [...word];
  if (chars.length > 100) return [unk];
  const out: number[] = [];
  for (let start = 0; start < chars.length;) {
    let end = chars.length;
    let found = -1;
    for (; end > start; end--) {
      const piece = (start > 0 ? "##" : "") + chars.slice(start, end).join("");
      if (vocab.has(piece)) {
        found = vocab.get(piece)!;
        break;
      }
    }
    if (found < 0) return [unk];
    out.push(found);
    start = end;
  }
  return out;
}

function expectedIds(text: string, vocab: Map<string, number>, max_length: number): number[] {
  const body = basicTokenize(text).flatMap((w) => wordPiece(w, vocab)).slice(0, max_length - 2);
  return [vocab.get("[CLS]")!, ...body, vocab.get("[SEP]")!];
}

async function readVocab(dir: string): Promise<Map<string, number>> {
  const lines = (await Deno.readTextFile(join(dir, "vocab.txt"))).split("\n");
  return new Map(lines.filter((l) => l !== "").map((token, id) => [token, id]));
}

function idsOf(tokens: { ids: Int32Array; offsets: Int32Array }, i: number): number[] {
  return [...tokens.ids.subarray(tokens.offsets[i], tokens.offsets[i + 1])];
}

Deno.test("basicTokenize lower-cases, strips accents and splits punctuation", () => {
  assert.deepEqual(basicTokenize("Hello, Wörld!  It's\tNAÏVE"), [
    "hello",
    ",",
    "world",
    "!",
    "it",
    "'",
    "s",
    "naive",
  ]);
  assert.deepEqual(basicTokenize("東京2020"), ["東", "京", "2020"]);
  assert.deepEqual(basicTokenize("   "), []);
});

Deno.test("the vocabulary starts with the special tokens and is deterministic", () => {
  const vocab = buildWordPieceVocab(CORPUS);
  assert.deepEqual(vocab.slice(0, 5), [...SPECIAL_TOKENS]);
  assert.deepEqual(buildWordPieceVocab([...CORPUS]), vocab);
  assert.equal(new Set(vocab).size, vocab.length);
  for (const word of ["robot", "cafe", "pilots", "naive"]) assert.ok(vocab.includes(word), word);
  // a cap keeps specials and characters but drops words
  const capped = buildWordPieceVocab(CORPUS, { maxSize: 10 });
  assert.ok(!capped.includes("robot"));
  assert.ok(capped.includes("##t"));
  assert.equal(buildWordPieceVocab(CORPUS, { padToSize: 500 }).length, 500);
});

Deno.test("transformers.js tokenizes a generated folder like reference WordPiece", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeTinyBert(dir, { texts: CORPUS, seed: 1 });
    const vocab = await readVocab(dir);
    const tokenizer = await loadTokenizer(dir);
    assert.equal(tokenizer.vocabSize, vocab.size);
    const piece = fc.constantFrom(
      "robot",
      "robots",
      "Cat",
      "catapult",
      "café",
      "NAÏVE",
      "pilot's",
      "tokyo",
      "ж", // unseen character: the whole word becomes [UNK]
      "!",
      ",",
      "mecha",
      "burnt",
    );
    const text = fc.array(fc.tuple(piece, fc.constantFrom(" ", "", "  ")), { maxLength: 20 })
      .map((parts) => parts.map(([p, sep]) => p + sep).join(""));
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: 12 }),
        (texts, max_length) => {
          const tokens = tokenizer.tokenize(texts, max_length);
          texts.forEach((t, i) =>
            assert.deepEqual(idsOf(tokens, i), expectedIds(t, vocab, max_length), t)
          );
        },
      ),
      { numRuns: 60 },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a folder with only vocab.txt and tokenizer_config.json tokenizes the same", async () => {
  const dir = await Deno.makeTempDir();
  const vocabOnly = await Deno.makeTempDir();
  try {
    await writeTinyBert(dir, { texts: CORPUS, seed: 1 });
    for (const file of ["vocab.txt", "tokenizer_config.json"]) {
      await Deno.copyFile(join(dir, file), join(vocabOnly, file));
    }
    const full = (await loadTokenizer(dir)).tokenize(CORPUS, 32);
    const fromVocab = (await loadTokenizer(vocabOnly)).tokenize(CORPUS, 32);
    assert.deepEqual(fromVocab, full);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(vocabOnly, { recursive: true });
  }
});

Deno.test("a folder without tokenizer files is reported by name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "vocab.txt"), "[PAD]\n");
    const noConfig = await caught(() => loadTokenizer(dir));
    assert.match(String(noConfig), /tokenizer_config\.json/);
    await Deno.remove(join(dir, "vocab.txt"));
    const none = await caught(() => loadTokenizer(dir));
    assert.match(String(none), /no tokenizer: expected tokenizer\.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const hasRealTokenizer = await Deno.stat(join(REAL_TOKENIZER, "tokenizer.json")).then(
  () => true,
  () => false,
);

Deno.test({
  name: "the real bert-base-uncased tokenizer folder loads and keeps [SEP] when truncating",
  ignore: !hasRealTokenizer,
  fn: async () => {
    const vocab = await readVocab(REAL_TOKENIZER);
    const tokenizer = await loadTokenizer(REAL_TOKENIZER);
    assert.equal(tokenizer.vocabSize, 30522);
    const tokens = tokenizer.tokenize(["Hello World, a café!", "Hello World, a café!"], 5);
    const words = ["[CLS]", "hello", "world", ",", "a", "cafe", "!", "[SEP]"];
    const all = words.map((w) => vocab.get(w)!);
    assert.deepEqual(idsOf(tokenizer.tokenize(["Hello World, a café!"], 256), 0), all);
    assert.deepEqual(idsOf(tokens, 1), [...all.slice(0, 4), vocab.get("[SEP]")!]);

    // the vocab.txt route builds an equivalent tokenizer for a real vocabulary too
    const vocabOnly = await Deno.makeTempDir();
    try {
      for (const file of ["vocab.txt", "tokenizer_config.json"]) {
        await Deno.copyFile(join(REAL_TOKENIZER, file), join(vocabOnly, file));
      }
      const texts = [...CORPUS, "Ünïcödé and 東京 with unaffable supercalifragilistic words"];
      assert.deepEqual(
        (await loadTokenizer(vocabOnly)).tokenize(texts, 64),
        tokenizer.tokenize(texts, 64),
      );
    } finally {
      await Deno.remove(vocabOnly, { recursive: true });
    }
  },
});
