/**
 * The npm packages only the BERT steps use (onnxruntime, Transformers.js with sharp,
 * TensorFlow.js, the ONNX schema: about 700 MB with their native binaries), loaded only when
 * a BERT step runs.
 *
 * Deno fetches every package its static analysis of the module graph finds, dynamic
 * `import("literal")` included, so a Top-Pop run would download them all. Here the specifier
 * reaches `import()` through a parameter, which static analysis does not follow: the package
 * is resolved through deno.json's imports (and fetched if missing) when first loaded.
 * `typeof import(...)` keeps the packages' types for `deno check`; types are not fetched
 * by `deno run`.
 */
export type Onnxruntime = typeof import("onnxruntime-node");
export type Transformers = typeof import("@huggingface/transformers");
export type Tfjs = typeof import("@tensorflow/tfjs");
export type TfjsWasm = typeof import("@tensorflow/tfjs-backend-wasm");
/** a CommonJS module: its `module.exports` (the `onnx` namespace) comes as the default export */
export type OnnxProto = { default: typeof import("onnx-proto") };

/** `import()` of a bare specifier named in deno.json's imports, hidden from static analysis. */
function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(specifier);
}

export const loadOnnxruntime = () => importAtRunTime<Onnxruntime>("onnxruntime-node");
export const loadTransformers = () => importAtRunTime<Transformers>("@huggingface/transformers");
export const loadTfjs = () => importAtRunTime<Tfjs>("@tensorflow/tfjs");
export const loadTfjsWasm = () => importAtRunTime<TfjsWasm>("@tensorflow/tfjs-backend-wasm");
export const loadOnnxProto = () => importAtRunTime<OnnxProto>("onnx-proto");
