/**
 * RFC 4180 output: fields with a comma, quote or line break are wrapped in double quotes with
 * inner quotes doubled. Rows are written through a large byte buffer to `<path>.tmp`, which is
 * renamed to `path` only once complete, so a killed run never leaves a file that looks whole.
 */

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + "\n";
}

const encoder = new TextEncoder();

/**
 * Writes `text` as UTF-8 into `target` from `at`; returns the end position. ASCII (every id and
 * username) is copied by hand: a TextEncoder call costs about a microsecond.
 */
export function writeUtf8(text: string, target: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) return at - i + encoder.encodeInto(text, target.subarray(at - i)).written;
    target[at++] = code;
  }
  return at;
}

/**
 * Many short encoded strings in one byte array. Copying from one large array is ~3x faster
 * than from thousands of small typed arrays, which V8 keeps on the heap and reads slowly.
 */
export class ByteArena {
  private constructor(readonly bytes: Uint8Array, readonly offsets: Int32Array) {}

  /** Length in bytes of the longest string. */
  get longest(): number {
    let longest = 0;
    for (let i = 1; i < this.offsets.length; i++) {
      longest = Math.max(longest, this.offsets[i] - this.offsets[i - 1]);
    }
    return longest;
  }

  static fromStrings(texts: readonly string[]): ByteArena {
    let capacity = 0;
    for (const text of texts) capacity += text.length * 3;
    const bytes = new Uint8Array(capacity);
    const offsets = new Int32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) offsets[i + 1] = writeUtf8(texts[i], bytes, offsets[i]);
    return new ByteArena(bytes.slice(0, offsets[texts.length]), offsets);
  }
}

/** Flush once this much is buffered; the buffer grows if one batch of rows needs more. */
const FLUSH_BYTES = 1 << 23;

/**
 * Buffered CSV output with two buffers: one is written to disk (on Deno's I/O threads) while
 * rows go into the other, so generating and writing overlap.
 */
export class CsvFileWriter {
  private buffer = new Uint8Array(FLUSH_BYTES + (FLUSH_BYTES >> 1));
  private spare = new Uint8Array(FLUSH_BYTES + (FLUSH_BYTES >> 1));
  /** the write of the spare buffer's content, if one is under way */
  private pending: Promise<void> | undefined;
  private used = 0;
  private bytesWritten = 0;

  private constructor(
    private readonly file: Deno.FsFile,
    private readonly tmpPath: string,
    readonly path: string,
  ) {}

  static async create(path: string, header: readonly string[]): Promise<CsvFileWriter> {
    const tmpPath = `${path}.tmp`;
    const file = await Deno.open(tmpPath, { write: true, create: true, truncate: true });
    const writer = new CsvFileWriter(file, tmpPath, path);
    await writer.writeText(csvRow(header));
    return writer;
  }

  /** Bytes written so far, buffered or not. */
  get size(): number {
    return this.bytesWritten + this.used;
  }

  /**
   * Makes room for `bytes` more without flushing. The put methods do not check bounds, so
   * call this before each batch (hot loops stay synchronous: an `await` inside them makes V8
   * throw away the optimized code at every resumption).
   */
  reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }

  /** Appends source[start..end) (short pieces: a loop beats `set` with its subarray). */
  putSlice(source: Uint8Array, start: number, end: number): void {
    const buf = this.buffer;
    let at = this.used;
    for (let i = start; i < end; i++) buf[at++] = source[i];
    this.used = at;
  }

  /** Appends string `index` of `arena`. */
  putFromArena(arena: ByteArena, index: number): void {
    this.putSlice(arena.bytes, arena.offsets[index], arena.offsets[index + 1]);
  }

  /** Appends a non-negative integer in decimal. */
  putInt(value: number): void {
    const buf = this.buffer;
    if (value < 10) {
      buf[this.used++] = 48 + value;
      return;
    }
    let digits = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    for (let v = value; v > 0; v = Math.floor(v / 10)) buf[--at] = 48 + (v % 10);
  }

  putByte(byte: number): void {
    this.buffer[this.used++] = byte;
  }

  async writeText(text: string): Promise<void> {
    this.reserve(text.length * 3);
    this.used = writeUtf8(text, this.buffer, this.used);
    await this.flushIfFull();
  }

  async flushIfFull(): Promise<void> {
    if (this.used >= FLUSH_BYTES) await this.flush();
  }

  /** Starts writing the buffered bytes; returns once the previous write has finished. */
  async flush(): Promise<void> {
    await this.pending;
    this.pending = undefined;
    if (this.used === 0) return;
    this.pending = writeAll(this.file, this.buffer.subarray(0, this.used));
    this.bytesWritten += this.used;
    [this.buffer, this.spare] = [this.spare, this.buffer];
    this.used = 0;
  }

  /** Flushes, closes and moves the temporary file into place; returns the final path. */
  async close(): Promise<string> {
    await this.flush();
    await this.pending;
    this.file.close();
    await Deno.rename(this.tmpPath, this.path);
    return this.path;
  }

  /** Closes and removes the temporary file (after a failure). */
  async abandon(): Promise<void> {
    await this.pending?.catch(() => {});
    try {
      this.file.close();
    } catch { /* already closed */ }
    await Deno.remove(this.tmpPath).catch(() => {});
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
}
