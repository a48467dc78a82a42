/**
 * Builds an ONNX graph node by node with generated value names, so the model code reads as
 * a sequence of operations rather than a list of protobuf records.
 */
import {
  type AttributeDef,
  type GraphDef,
  type NodeDef,
  OnnxType,
  rawBytes,
  type TensorDef,
  type ValueInfoDef,
} from "./onnx_proto.ts";

export class OnnxGraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** A float32 initializer; returns its name. */
  floatConst(name: string, dims: number[], data: Float32Array): string {
    this.checkSize(name, dims, data.length);
    this.initializers.push({ name, dataType: OnnxType.FLOAT, dims, raw: rawBytes(data) });
    return name;
  }

  int64Const(name: string, dims: number[], values: number[]): string {
    this.checkSize(name, dims, values.length);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dataType: OnnxType.INT64, dims, raw: rawBytes(data) });
    return name;
  }

  int8Const(name: string, dims: number[], data: Int8Array): string {
    this.checkSize(name, dims, data.length);
    this.initializers.push({ name, dataType: OnnxType.INT8, dims, raw: rawBytes(data) });
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, inputs: string[], attributes: AttributeDef[] = []): string {
    return this.opMulti(opType, inputs, 1, attributes)[0];
  }

  /** Adds a node with `outputCount` outputs and returns their names. */
  opMulti(
    opType: string,
    inputs: string[],
    outputCount: number,
    attributes: AttributeDef[] = [],
  ): string[] {
    const nodeName = this.fresh(opType);
    const outputs = Array.from({ length: outputCount }, (_, i) => `${nodeName}_out${i}`);
    this.nodes.push({ opType, inputs, outputs, name: nodeName, attributes });
    return outputs;
  }

  build(inputs: ValueInfoDef[], outputs: ValueInfoDef[]): GraphDef {
    return {
      name: this.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs,
      outputs,
    };
  }

  private checkSize(name: string, dims: number[], length: number): void {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== length) {
      throw new Error(`initializer ${name}: dims ${dims} need ${expected} values, got ${length}`);
    }
  }
}
