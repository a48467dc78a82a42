/**
 * An uncased WordPiece vocabulary built from a list of texts, and the Hugging Face tokenizer
 * files that describe it. Word splitting mirrors the `tokenizers` BertNormalizer (clean text,
 * CJK spacing, accent stripping, lower case) and BertPreTokenizer (whitespace and
 * punctuation), so the counted words are the words the tokenizer will later see.
 */

/** Special tokens in id order: [PAD] must be 0 because padding writes zeros. */
export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;
const CONTINUATION = "##";

const CONTROL = /[\p{Cc}\p{Cf}]/u;
const WHITESPACE = /\s/u;
const PUNCTUATION = /\p{P}/u;
const COMBINING_MARK = /\p{Mn}/gu;

function isCjk(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

function isAsciiPunctuation(cp: number): boolean {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
    (cp >= 123 && cp <= 126);
}

/** Characters the pre-tokenizer always splits off as words of their own. */
function isStandalone(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return isCjk(cp) || isAsciiPunctuation(cp) || PUNCTUATION.test(ch);
}

/** Splits a text into the lower-cased, accent-free words and punctuation marks BERT sees. */
export function basicTokenize(text: string): string[] {
  const words: string[] = [];
  let current = "";
  const flush = () => {
    if (current) words.push(current);
    current = "";
  };
  const normalized = text.toLowerCase().normalize("NFD").replace(COMBINING_MARK, "");
  for (const ch of normalized) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\t" || ch === "\n" || ch === "\r" || WHITESPACE.test(ch)) flush();
    else if (cp === 0 || cp === 0xfffd || CONTROL.test(ch)) continue;
    else if (isStandalone(ch)) {
      flush();
      words.push(ch);
    } else current += ch;
  }
  flush();
  return words;
}

export interface VocabOptions {
  /** at most this many tokens from the texts (specials and characters always kept) */
  maxSize?: number;
  /** pad with `[unusedN]` tokens up to this size (a MiniLM-shaped 30522, say) */
  padToSize?: number;
}

function byCountThenText(counts: Map<string, number>): string[] {
  return [...counts.keys()].sort((a, b) =>
    counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)
  );
}

/**
 * Specials, then every character seen (as a word start and as a `##` continuation, so any
 * word made of seen characters can be tokenized), then whole words by frequency.
 */
export function buildWordPieceVocab(texts: readonly string[], options: VocabOptions = {}) {
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  for (const text of texts) {
    for (const word of basicTokenize(text)) {
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
    }
  }
  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(vocab);
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      vocab.push(token);
    }
  };
  const chars = byCountThenText(charCounts);
  for (const ch of chars) add(ch);
  for (const ch of chars) if (!isStandalone(ch)) add(CONTINUATION + ch);
  const maxSize = Math.max(options.maxSize ?? Infinity, vocab.length);
  for (const word of byCountThenText(wordCounts)) {
    if (vocab.length >= maxSize) break;
    add(word);
  }
  for (let i = 0; vocab.length < (options.padToSize ?? 0); i++) add(`[unused${i}]`);
  return vocab;
}

/** `tokenizer.json` in the Hugging Face `tokenizers` format for a BERT WordPiece vocabulary. */
export function tokenizerJson(vocab: readonly string[], lowercase = true): Record<string, unknown> {
  const ids = new Map(vocab.map((token, id) => [token, id]));
  for (const special of SPECIAL_TOKENS) {
    if (!ids.has(special)) throw new Error(`vocabulary lacks the special token ${special}`);
  }
  const special = (content: string) => ({
    id: ids.get(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialToken = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [specialToken("[CLS]", 0), sequence("A", 0), specialToken("[SEP]", 0)],
      pair: [
        specialToken("[CLS]", 0),
        sequence("A", 0),
        specialToken("[SEP]", 0),
        sequence("B", 1),
        specialToken("[SEP]", 1),
      ],
      special_tokens: Object.fromEntries(
        ["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [ids.get(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: "WordPiece", prefix: CONTINUATION, cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: CONTINUATION,
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(ids),
    },
  };
}

/** `tokenizer_config.json` of an uncased BERT tokenizer. */
export function tokenizerConfigJson(modelMaxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: "BertTokenizer",
    do_lower_case: true,
    do_basic_tokenize: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: true,
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    mask_token: "[MASK]",
  };
}
