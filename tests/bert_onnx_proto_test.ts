import assert from "node:assert/strict";
import { loadOnnxProto, loadOnnxruntime } from "../models/bert/heavy_packages.ts";
import { encodeModel, OnnxType, rawBytes } from "../models/bert/onnx_proto.ts";

Deno.test("the written bytes decode through the ONNX schema to what was described", async () => {
  const weights = Float32Array.of(0.5, -2);
  const bytes = await encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: 17 }, { domain: "com.microsoft", version: 1 }],
    producerName: "test",
    graph: {
      name: "g",
      nodes: [{
        opType: "Op",
        inputs: ["x", "w"],
        outputs: ["y"],
        name: "n0",
        domain: "com.microsoft",
        attributes: [
          { name: "f", kind: "float", value: 1.5 },
          { name: "i", kind: "int", value: -1 },
          { name: "is", kind: "ints", value: [3, -4] },
          { name: "s", kind: "string", value: "é" },
          {
            name: "t",
            kind: "tensor",
            value: { name: "c", dataType: OnnxType.INT8, dims: [1], raw: Uint8Array.of(255) },
          },
        ],
      }],
      initializers: [{ name: "w", dataType: OnnxType.FLOAT, dims: [2], raw: rawBytes(weights) }],
      inputs: [{ name: "x", elemType: OnnxType.FLOAT, dims: ["batch", 2] }],
      outputs: [{ name: "y", elemType: OnnxType.FLOAT, dims: ["batch", 2] }],
    },
  });
  const { onnx } = (await loadOnnxProto()).default;
  const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), {
    longs: Number,
    bytes: Array,
    enums: String,
  });
  assert.equal(decoded.irVersion, 8);
  assert.deepEqual(decoded.opsetImport, [
    { domain: "", version: 17 },
    { domain: "com.microsoft", version: 1 },
  ]);
  const graph = decoded.graph;
  const node = graph.node[0];
  assert.deepEqual([node.input, node.output, node.name, node.opType, node.domain], [
    ["x", "w"],
    ["y"],
    "n0",
    "Op",
    "com.microsoft",
  ]);
  const attributes = Object.fromEntries(
    node.attribute.map((a: Record<string, unknown>) => [a.name, a]),
  );
  assert.deepEqual([attributes.f.type, attributes.f.f], ["FLOAT", 1.5]);
  assert.deepEqual([attributes.i.type, attributes.i.i], ["INT", -1]);
  assert.deepEqual([attributes.is.type, attributes.is.ints], ["INTS", [3, -4]]);
  assert.equal(new TextDecoder().decode(Uint8Array.from(attributes.s.s)), "é");
  assert.deepEqual(attributes.t.t, {
    dims: [1],
    dataType: OnnxType.INT8,
    name: "c",
    rawData: [255],
  });
  const w = graph.initializer[0];
  assert.deepEqual([w.name, w.dims, w.dataType], ["w", [2], OnnxType.FLOAT]);
  assert.deepEqual(new Float32Array(Uint8Array.from(w.rawData).buffer), weights);
  assert.deepEqual(graph.input[0].type.tensorType, {
    elemType: OnnxType.FLOAT,
    shape: { dim: [{ dimParam: "batch" }, { dimValue: 2 }] },
  });
});

Deno.test("onnxruntime runs a hand-built graph: softmax(x + c) with a negative axis", async () => {
  const ort = await loadOnnxruntime();
  const c = Float32Array.of(1, 2);
  const bytes = await encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: 17 }],
    producerName: "test",
    graph: {
      name: "g",
      nodes: [
        { opType: "Add", inputs: ["x", "c"], outputs: ["s"] },
        {
          opType: "Softmax",
          inputs: ["s"],
          outputs: ["y"],
          attributes: [{ name: "axis", kind: "int", value: -1 }],
        },
      ],
      initializers: [{ name: "c", dataType: OnnxType.FLOAT, dims: [2], raw: rawBytes(c) }],
      inputs: [{ name: "x", elemType: OnnxType.FLOAT, dims: ["n", 2] }],
      outputs: [{ name: "y", elemType: OnnxType.FLOAT, dims: ["n", 2] }],
    },
  });
  const session = await ort.InferenceSession.create(bytes);
  // x + c = [0, ln 3] => softmax = [1/4, 3/4]
  const x = new ort.Tensor("float32", Float32Array.of(-1, Math.log(3) - 2), [1, 2]);
  const y = (await session.run({ x })).y;
  assert.deepEqual(y.dims, [1, 2]);
  const data = y.data as Float32Array;
  assert.ok(Math.abs(data[0] - 0.25) < 1e-6, `${data[0]}`);
  assert.ok(Math.abs(data[1] - 0.75) < 1e-6, `${data[1]}`);
  await session.release();
});
