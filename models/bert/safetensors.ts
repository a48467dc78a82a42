/**
 * The Hugging Face safetensors format: an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}` and the raw tensors,
 * offsets relative to the end of the header. Reading checks every claim the header makes
 * (length, offsets inside the file, sizes matching shapes, no overlap), so a truncated or
 * lying file fails naming the file and the tensor instead of yielding garbage weights.
 */

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** Bytes per element of the dtypes read; float ones become Float32Array. */
const DTYPE_BYTES: Record<string, number> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};
const FLOAT_DTYPES = new Set(["F32", "F16", "BF16", "F64"]);
const MAX_HEADER = 100 * 1024 * 1024;

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export class SafetensorsFile {
  constructor(
    readonly path: string,
    private readonly bytes: Uint8Array,
    private readonly dataStart: number,
    readonly entries: Map<string, SafetensorsEntry>,
    readonly metadata: Record<string, string>,
  ) {}

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** A float tensor as fp32 (F16/BF16/F64 converted). */
  tensor(name: string): NamedTensor {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`${this.path}: tensor ${name} is missing`);
    if (!FLOAT_DTYPES.has(entry.dtype)) {
      throw new Error(`${this.path}: tensor ${name} has dtype ${entry.dtype}, expected a float`);
    }
    const raw = this.bytes.slice(this.dataStart + entry.begin, this.dataStart + entry.end);
    return { shape: entry.shape, data: toFloat32(entry.dtype, raw.buffer) };
  }
}

function toFloat32(dtype: string, buffer: ArrayBuffer): Float32Array {
  if (dtype === "F32") return new Float32Array(buffer);
  if (dtype === "F64") return Float32Array.from(new Float64Array(buffer));
  const halves = new Uint16Array(buffer);
  const out = new Float32Array(halves.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    if (dtype === "BF16") {
      bits[i] = h << 16;
      continue;
    }
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = (sign ? -1 : 1) * mantissa * 2 ** -24;
    else if (exponent === 31) bits[i] = sign | 0x7f800000 | (mantissa << 13);
    else bits[i] = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  return out;
}

/** Parses and validates a safetensors file held in memory; `path` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, path: string): SafetensorsFile {
  if (bytes.length < 8) {
    throw new Error(`${path}: truncated safetensors file (${bytes.length} bytes, no header)`);
  }
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
    throw new Error(
      `${path}: truncated safetensors header (says ${headerLength} bytes, the file has ` +
        `${bytes.length - 8} after the length)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new Error(`${path}: safetensors header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new Error(`${path}: safetensors header is not a JSON object`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    entries.set(name, checkEntry(path, name, value, dataLength));
  }
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin);
  for (let i = 1; i < sorted.length; i++) {
    const [previous, before] = sorted[i - 1];
    const [name, entry] = sorted[i];
    if (entry.begin < before.end) {
      throw new Error(
        `${path}: tensor ${name} (bytes ${entry.begin}..${entry.end}) overlaps tensor ` +
          `${previous} (bytes ${before.begin}..${before.end})`,
      );
    }
  }
  return new SafetensorsFile(path, bytes, dataStart, entries, metadata);
}

function checkEntry(
  path: string,
  name: string,
  value: unknown,
  dataLength: number,
): SafetensorsEntry {
  const where = `${path}: tensor ${name}`;
  const { dtype, shape, data_offsets: offsets } = (value ?? {}) as Record<string, unknown>;
  if (typeof dtype !== "string" || !(dtype in DTYPE_BYTES)) {
    throw new Error(`${where}: unsupported dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${where}: shape ${JSON.stringify(shape)} is not a list of sizes`);
  }
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[1] < offsets[0]
  ) {
    throw new Error(`${where}: data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw new Error(
      `${where}: data_offsets [${begin}, ${end}] exceed the file (${dataLength} data bytes; ` +
        `truncated?)`,
    );
  }
  const expected = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  if (end - begin !== expected) {
    throw new Error(
      `${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ${dtype} ` +
        `[${shape}] needs ${expected}`,
    );
  }
  return { dtype, shape: shape as number[], begin, end };
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return parseSafetensors(await Deno.readFile(path), path);
}

/** Encodes fp32 tensors as safetensors, in the given order, 8-byte aligned header. */
export function encodeSafetensors(
  tensors: Record<string, NamedTensor>,
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new Error(`tensor ${name}: shape [${shape}] needs ${size} values, has ${data.length}`);
    }
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // padded with spaces so the tensors start 8-byte aligned
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { data } of Object.values(tensors)) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}
