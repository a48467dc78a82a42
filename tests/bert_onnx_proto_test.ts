import assert from "node:assert/strict";
import fc from "fast-check";
import {
  encodeModel,
  encodeVarint,
  OnnxType,
  ProtoMessage,
  rawBytes,
} from "../models/bert/onnx_proto.ts";

function decodeVarint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value |= BigInt(bytes[i] & 0x7f) << BigInt(7 * i);
  return BigInt.asIntN(64, value);
}

Deno.test("varints match the protobuf spec's worked examples", () => {
  assert.deepEqual([...encodeVarint(0)], [0]);
  assert.deepEqual([...encodeVarint(1)], [1]);
  assert.deepEqual([...encodeVarint(127)], [0x7f]);
  assert.deepEqual([...encodeVarint(128)], [0x80, 0x01]);
  assert.deepEqual([...encodeVarint(300)], [0xac, 0x02]); // protobuf encoding guide
  // negative int64: ten bytes of two's complement
  assert.deepEqual([...encodeVarint(-1)], [...Array(9).fill(0xff), 0x01]);
});

Deno.test("varints round-trip any int64", () => {
  fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
    const bytes = encodeVarint(v);
    assert.equal(decodeVarint(bytes), v);
    // only the last byte lacks the continuation bit
    bytes.forEach((b, i) => assert.equal(b >= 0x80, i < bytes.length - 1));
  }));
});

Deno.test("a message's length counts nested chunks", () => {
  const inner = new ProtoMessage().string(1, "abc").varint(2, 5);
  const outer = new ProtoMessage().message(7, inner).float(2, 1.5);
  const bytes = outer.toBytes();
  assert.equal(bytes.length, outer.length);
  // field 7, wire type 2 => tag 0x3a, then the inner length (2 + 3 + 2 = 7)
  assert.deepEqual([...bytes.subarray(0, 2)], [0x3a, 7]);
});

Deno.test("onnxruntime runs a hand-built graph: softmax(x + c) with a negative axis", async () => {
  const ort = await import("onnxruntime-node");
  const c = Float32Array.of(1, 2);
  const bytes = encodeModel({
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
