/**
 * A minimal protobuf writer for the ONNX messages a generated model needs (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). Field numbers follow
 * onnx/onnx.proto. Messages are kept as lists of chunks so large weight buffers are copied
 * once, when the final file bytes are assembled.
 */

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
} as const;
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType];

export interface TensorDef {
  name: string;
  dataType: OnnxElemType;
  dims: number[];
  /** little-endian element bytes (TensorProto.raw_data) */
  raw: Uint8Array;
}

export type AttributeDef =
  | { name: string; kind: "float"; value: number }
  | { name: string; kind: "int"; value: number }
  | { name: string; kind: "ints"; value: number[] }
  | { name: string; kind: "string"; value: string }
  | { name: string; kind: "tensor"; value: TensorDef };

export interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: AttributeDef[];
}

export interface ValueInfoDef {
  name: string;
  elemType: OnnxElemType;
  /** a number for a fixed size, a string for a symbolic one ("batch") */
  dims: (number | string)[];
}

export interface GraphDef {
  name: string;
  nodes: NodeDef[];
  initializers: TensorDef[];
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
}

export interface ModelDef {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  graph: GraphDef;
}

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, ints: 7 } as const;

/** Protobuf varint bytes of an int64; negative values take ten bytes (two's complement). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

const textEncoder = new TextEncoder();

/** One protobuf message under construction, as a list of byte chunks. */
export class ProtoMessage {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private tag(field: number, wire: number): void {
    this.push(encodeVarint((field << 3) | wire));
  }

  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.push(encodeVarint(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.push(encodeVarint(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, sub: ProtoMessage): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.push(encodeVarint(sub.length));
    for (const chunk of sub.chunks) this.push(chunk);
    return this;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function tensorMessage(t: TensorDef): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of t.dims) m.varint(1, d);
  m.varint(2, t.dataType);
  m.string(8, t.name);
  m.bytes(9, t.raw);
  return m;
}

function attributeMessage(a: AttributeDef): ProtoMessage {
  const m = new ProtoMessage().string(1, a.name);
  switch (a.kind) {
    case "float":
      m.float(2, a.value);
      break;
    case "int":
      m.varint(3, a.value);
      break;
    case "string":
      m.string(4, a.value);
      break;
    case "tensor":
      m.message(5, tensorMessage(a.value));
      break;
    case "ints":
      for (const v of a.value) m.varint(8, v);
      break;
  }
  return m.varint(20, ATTRIBUTE_TYPE[a.kind]);
}

function nodeMessage(n: NodeDef): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  if (n.name) m.string(3, n.name);
  m.string(4, n.opType);
  for (const a of n.attributes ?? []) m.message(5, attributeMessage(a));
  if (n.domain) m.string(7, n.domain);
  return m;
}

function valueInfoMessage(v: ValueInfoDef): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.dims) {
    const dim = new ProtoMessage();
    if (typeof d === "number") dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoMessage().varint(1, v.elemType).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, v.name).message(2, type);
}

function graphMessage(g: GraphDef): ProtoMessage {
  const m = new ProtoMessage();
  for (const n of g.nodes) m.message(1, nodeMessage(n));
  m.string(2, g.name);
  for (const t of g.initializers) m.message(5, tensorMessage(t));
  for (const v of g.inputs) m.message(11, valueInfoMessage(v));
  for (const v of g.outputs) m.message(12, valueInfoMessage(v));
  return m;
}

/** The bytes of an .onnx file. */
export function encodeModel(model: ModelDef): Uint8Array {
  const m = new ProtoMessage().varint(1, model.irVersion).string(2, model.producerName);
  m.message(7, graphMessage(model.graph));
  for (const o of model.opsets) {
    m.message(8, new ProtoMessage().string(1, o.domain).varint(2, o.version));
  }
  return m.toBytes();
}

// Raw tensor data is written in the machine's byte order; ONNX wants little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a typed array, without copying on little-endian machines. */
export function rawBytes(data: Float32Array | Int32Array | BigInt64Array | Int8Array | Uint8Array) {
  if (!LITTLE_ENDIAN) throw new Error("onnx_proto: big-endian machines are not supported");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
