/**
 * BERT's parameters read from an ONNX graph's initializers, for model folders that ship only
 * ONNX. Embedding, LayerNorm and bias initializers keep their HF names in exports; the
 * weight of a linear layer is often anonymous (`onnx::MatMul_1234`), so it is found through
 * the graph: the B input of the MatMul whose output is added to the bias `<name>.bias`. Such
 * weights are already [inputs, outputs].
 */
import { loadOnnxProto } from "./heavy_packages.ts";
import type { NamedTensor } from "./safetensors.ts";
import type { TensorLookup } from "./bert_parameters.ts";

const FLOAT = 1;

/** A lookup by HF name over the initializers of the .onnx file at `path`. */
export async function onnxInitializerLookup(path: string): Promise<TensorLookup> {
  const schema = (await loadOnnxProto()).default.onnx;
  let model;
  try {
    model = schema.ModelProto.decode(await Deno.readFile(path));
  } catch (error) {
    throw new Error(`${path}: not a readable ONNX model (${(error as Error).message})`);
  }
  const graph = model.graph;
  if (!graph) throw new Error(`${path}: the ONNX model has no graph`);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const nodes = (graph.node ?? []).map((n) => ({
    opType: n.opType ?? "",
    input: n.input ?? [],
    output: n.output ?? [],
  }));
  // value name -> the node producing it
  const producers = new Map<string, (typeof nodes)[number]>();
  for (const node of nodes) for (const output of node.output) producers.set(output, node);
  // `<name>.weight` of linear layers: bias name -> MatMul weight initializer name
  const linearWeights = new Map<string, string>();
  for (const node of nodes) {
    if (node.opType !== "Add" || node.input.length !== 2) continue;
    const biasIndex = node.input.findIndex((i) => i.endsWith(".bias") && initializers.has(i));
    if (biasIndex < 0) continue;
    const matmul = producers.get(node.input[1 - biasIndex]);
    if (matmul?.opType !== "MatMul" || !initializers.has(matmul.input[1])) continue;
    const name = node.input[biasIndex].slice(0, -".bias".length);
    linearWeights.set(`${name}.weight`, matmul.input[1]);
  }
  const read = (initializerName: string): NamedTensor => {
    const t = initializers.get(initializerName)!;
    if (t.dataType !== FLOAT) {
      throw new Error(
        `${path}: initializer ${initializerName} has ONNX data type ${t.dataType}, expected ` +
          `float (a quantized model cannot be fine-tuned; use onnx/model.onnx)`,
      );
    }
    const shape = (t.dims ?? []).map(Number);
    const data = t.rawData && t.rawData.length
      ? new Float32Array(t.rawData.slice().buffer)
      : Float32Array.from(t.floatData ?? []);
    return { shape, data };
  };
  return (name) => {
    const linear = linearWeights.get(name);
    if (linear) return read(linear);
    return initializers.has(name) ? read(name) : null;
  };
}
