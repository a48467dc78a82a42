/**
 * The npm packages only the BERT steps use (onnxruntime, Transformers.js with sharp,
 * TensorFlow.js, the ONNX schema: about 700 MB with their native binaries), loaded only when
 * a BERT step runs. Their pinned versions live here, not in deno.json's imports:
 *
 * - Deno fetches every package its static analysis of the module graph finds, dynamic
 *   `import("literal")` included; here the specifier reaches `import()` through a parameter,
 *   which static analysis does not follow, so a run fetches them when a BERT step loads them.
 * - `deno task` installs every package of deno.json's imports and of the lock file before it
 *   starts a task; so deno.json sets `"lock": false` for that outer process and every task
 *   passes `--lock=deno.lock` to the command it runs, which records and verifies these
 *   packages like any other (deno.lock pins their whole dependency tree).
 *
 * `typeof import(...)` keeps the packages' types for `deno check`; types are not fetched by
 * `deno run`. Code elsewhere takes their types from here.
 */
export type Onnxruntime = typeof import("npm:onnxruntime-node@1.21.0");
export type Transformers = typeof import("npm:@huggingface/transformers@3.8.1");
export type Tfjs = typeof import("npm:@tensorflow/tfjs@4.22.0");
export type TfjsWasm = typeof import("npm:@tensorflow/tfjs-backend-wasm@4.22.0");
export type TfjsWebgpu = typeof import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
/** a CommonJS module: its `module.exports` (the `onnx` namespace) comes as the default export */
export type OnnxProto = { default: typeof import("npm:onnx-proto@8.0.1") };

/** `import()` of a pinned npm specifier, hidden from static analysis. */
function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(specifier);
}

export const loadOnnxruntime = () => importAtRunTime<Onnxruntime>("npm:onnxruntime-node@1.21.0");
export const loadTransformers = () =>
  importAtRunTime<Transformers>("npm:@huggingface/transformers@3.8.1");
export const loadTfjs = () => importAtRunTime<Tfjs>("npm:@tensorflow/tfjs@4.22.0");
export const loadTfjsWasm = () =>
  importAtRunTime<TfjsWasm>("npm:@tensorflow/tfjs-backend-wasm@4.22.0");
export const loadTfjsWebgpu = () =>
  importAtRunTime<TfjsWebgpu>("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
export const loadOnnxProto = () => importAtRunTime<OnnxProto>("npm:onnx-proto@8.0.1");

export type { InferenceSession, Tensor as OrtTensor } from "npm:onnxruntime-node@1.21.0";
export type { Scalar, Tensor, Tensor2D, Tensor3D, Variable } from "npm:@tensorflow/tfjs@4.22.0";
export type { onnx } from "npm:onnx-proto@8.0.1";
