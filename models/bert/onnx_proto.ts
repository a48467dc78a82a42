/**
 * Writes the ONNX messages a generated model needs (ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto) through the ONNX schema compiled by the
 * `onnx-proto` package (protobufjs): the descriptions below stay small and typed, the
 * package owns field numbers and wire encoding.
 */
import type { onnx } from "./heavy_packages.ts";
import { loadOnnxProto } from "./heavy_packages.ts";

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
} as const satisfies Record<string, onnx.TensorProto.DataType>;
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

/** AttributeProto.AttributeType values (onnx.proto), checked against the schema's enum. */
const ATTRIBUTE_TYPE = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  ints: 7,
} as const satisfies Record<AttributeDef["kind"], onnx.AttributeProto.AttributeType>;

const textEncoder = new TextEncoder();

function tensorProto(t: TensorDef): onnx.ITensorProto {
  return { dims: t.dims, dataType: t.dataType, name: t.name, rawData: t.raw };
}

function attributeProto(a: AttributeDef): onnx.IAttributeProto {
  const attribute: onnx.IAttributeProto = { name: a.name, type: ATTRIBUTE_TYPE[a.kind] };
  switch (a.kind) {
    case "float":
      attribute.f = a.value;
      break;
    case "int":
      attribute.i = a.value;
      break;
    case "string":
      attribute.s = textEncoder.encode(a.value);
      break;
    case "tensor":
      attribute.t = tensorProto(a.value);
      break;
    case "ints":
      attribute.ints = a.value;
      break;
  }
  return attribute;
}

function nodeProto(n: NodeDef): onnx.INodeProto {
  return {
    input: n.inputs,
    output: n.outputs,
    name: n.name,
    opType: n.opType,
    attribute: (n.attributes ?? []).map(attributeProto),
    domain: n.domain,
  };
}

function valueInfoProto(v: ValueInfoDef): onnx.IValueInfoProto {
  const dim = v.dims.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d });
  return { name: v.name, type: { tensorType: { elemType: v.elemType, shape: { dim } } } };
}

/** The ONNX ModelProto of a model description. */
export function modelProto(model: ModelDef): onnx.IModelProto {
  const g = model.graph;
  return {
    irVersion: model.irVersion,
    producerName: model.producerName,
    graph: {
      node: g.nodes.map(nodeProto),
      name: g.name,
      initializer: g.initializers.map(tensorProto),
      input: g.inputs.map(valueInfoProto),
      output: g.outputs.map(valueInfoProto),
    },
    opsetImport: model.opsets.map((o) => ({ domain: o.domain, version: o.version })),
  };
}

/** The bytes of an .onnx file. */
export async function encodeModel(model: ModelDef): Promise<Uint8Array> {
  const schema = (await loadOnnxProto()).default.onnx;
  return schema.ModelProto.encode(modelProto(model)).finish();
}

// Raw tensor data is written in the machine's byte order; ONNX wants little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a typed array, without copying on little-endian machines. */
export function rawBytes(data: Float32Array | Int32Array | BigInt64Array | Int8Array | Uint8Array) {
  if (!LITTLE_ENDIAN) throw new Error("onnx_proto: big-endian machines are not supported");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
