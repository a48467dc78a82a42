/**
 * Starts TensorFlow.js on its WebAssembly backend, offline. Under Deno the wasm backend cannot
 * find its .wasm files by itself, so they are located next to the package's JS (the npm cache
 * or node_modules) and handed over with setWasmPaths. If that fails, the pure-JS cpu backend is
 * used with a warning. tfjs is imported lazily so runs without a head do not load it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  loadTfjs,
  loadTfjsWasm,
  loadTfjsWebgpu,
  type Tensor,
  type Tfjs,
} from "./heavy_packages.ts";
import { fileExists } from "./model_folder.ts";

export type Tf = Tfjs;
export type TfBackendName = "wasm" | "cpu";

const WASM_PACKAGE = "@tensorflow/tfjs-backend-wasm";
const WASM_FILE = "tfjs-backend-wasm.wasm";

let tfPromise: Promise<Tf> | null = null;
let wasmState: Promise<string | null> | null = null; // null: wasm is usable; else why not
let webgpuState: Promise<string | null> | null = null;

function fileUrlToPath(url: string): string | null {
  return url.startsWith("file:") ? fileURLToPath(url) : null;
}

/** Folders that may hold the wasm binaries, most specific first. */
function wasmDirCandidates(version: string): string[] {
  const dirs: string[] = [];
  try {
    const entry = fileUrlToPath(import.meta.resolve(WASM_PACKAGE));
    if (entry) dirs.push(dirname(entry));
  } catch {
    // not resolvable from here (no import map entry): try the npm cache below
  }
  const home = Deno.env.get("HOME");
  const denoDir = Deno.env.get("DENO_DIR") ?? (home ? join(home, ".cache", "deno") : null);
  if (denoDir) {
    dirs.push(join(denoDir, "npm", "registry.npmjs.org", WASM_PACKAGE, version, "dist"));
  }
  return dirs;
}

async function startWasm(tf: Tf): Promise<string | null> {
  try {
    const wasm = await loadTfjsWasm();
    let found: string | null = null;
    for (const dir of wasmDirCandidates(wasm.version_wasm)) {
      if (await fileExists(join(dir, WASM_FILE))) {
        found = dir;
        break;
      }
    }
    if (!found) return `${WASM_FILE} not found next to ${WASM_PACKAGE} or in the Deno npm cache`;
    // Threaded wasm needs web workers, which tfjs does not support under Node (nor Deno).
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setWasmPaths(found.endsWith("/") ? found : found + "/");
    if (!(await tf.setBackend("wasm"))) return "tf.setBackend('wasm') returned false";
    await tf.ready();
    shareIdentity(tf);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : JSON.stringify(error);
  }
}

type Gpu = { requestAdapter(): Promise<unknown> };

/** Why `gpu` (navigator.gpu) cannot give an adapter; null when it can. */
export async function adapterProblem(gpu: Gpu | undefined): Promise<string | null> {
  if (!gpu) return "this runtime has no navigator.gpu";
  const adapter = await gpu.requestAdapter().catch(() => null);
  return adapter ? null : "navigator.gpu found no adapter (no GPU, or no driver for it)";
}

/**
 * tfjs-wasm's Identity copies its input; tfjs clones every tensor it saves for backprop
 * through Identity, so training held each activation twice. Tensors are immutable (a
 * variable's assign swaps buffers), so the clone can share the buffer, as Reshape does.
 */
function shareIdentity(tf: Tf): void {
  tf.unregisterKernel("Identity", "wasm");
  tf.registerKernel({
    kernelName: "Identity",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as { dataId: object; shape: number[]; dtype: "float32" };
      (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** Registers the WebGPU backend if an adapter exists; null when usable, else why not. */
async function startWebgpu(tf: Tf): Promise<string | null> {
  const problem = await adapterProblem((navigator as { gpu?: Gpu }).gpu);
  if (problem) return problem;
  try {
    await loadTfjsWebgpu();
    if (!(await tf.setBackend("webgpu"))) return "tf.setBackend('webgpu') returned false";
    await tf.ready();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether a WebGPU adapter can run tfjs here; null if so, else the reason. */
export async function webgpuProblem(): Promise<string | null> {
  const { tf } = await tfjsWithBackend("cpu");
  webgpuState ??= startWebgpu(tf);
  return await webgpuState;
}

/**
 * tfjs on a fine-tuning device: "cpu" is the wasm backend (cpu fallback with a warning),
 * "webgpu" needs an adapter and fails with a clear error without one.
 */
export async function tfjsOnDevice(
  device: "cpu" | "webgpu",
  warn?: (message: string) => void,
): Promise<Tf> {
  if (device === "cpu") return (await tfjsWithBackend("wasm", warn)).tf;
  const problem = await webgpuProblem();
  if (problem) throw new Error(`model.finetune.device webgpu: ${problem}; use device: cpu`);
  const tf = await tfPromise!;
  if (tf.getBackend() !== "webgpu") await tf.setBackend("webgpu");
  return tf;
}

/**
 * tfjs with the wanted backend active; "wasm" falls back to "cpu" (reported through `warn`).
 * Returns tf and the backend actually in use.
 */
export async function tfjsWithBackend(
  wanted: TfBackendName,
  warn: (message: string) => void = console.warn,
): Promise<{ tf: Tf; backend: TfBackendName }> {
  tfPromise ??= loadTfjs().then((tf) => {
    // production mode drops debug checks and the "install tfjs-node" banner on stderr
    tf.enableProdMode();
    return tf;
  });
  const tf = await tfPromise;
  if (wanted === "wasm") {
    wasmState ??= startWasm(tf);
    const problem = await wasmState;
    if (problem === null) {
      if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
      return { tf, backend: "wasm" };
    }
    warn(`tfjs wasm backend unavailable (${problem}); using the slower cpu backend`);
  }
  if (tf.getBackend() !== "cpu") await tf.setBackend("cpu");
  await tf.ready();
  return { tf, backend: "cpu" };
}

/**
 * A float32 tensor's values without a copy where the backend allows: a view into the wasm
 * heap, valid only until the next tfjs call (use it at once); else a copy (dataSync).
 * Gradients and parameters are read every step: copies there were hundreds of MB of garbage.
 */
export function readFloats(tf: Tf, tensor: Tensor): Float32Array {
  const backend = tf.backend() as unknown as {
    typedArrayFromHeap?: (t: Tensor) => Float32Array;
  };
  if (tf.getBackend() === "wasm" && backend.typedArrayFromHeap) {
    return backend.typedArrayFromHeap(tensor);
  }
  return tensor.dataSync() as Float32Array;
}

/**
 * The size of tfjs's WebAssembly heap in bytes (null on other backends): a wasm memory never
 * shrinks, so this is the thread's high-water mark of tensor memory (benchmarks report it).
 */
export function wasmHeapBytes(tf: Tf): number | null {
  if (tf.getBackend() !== "wasm") return null;
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return backend.wasm?.HEAPU8.buffer.byteLength ?? null;
}

/** readFloats for any backend: webgpu can only read asynchronously. */
export async function readFloatsAsync(tf: Tf, tensor: Tensor): Promise<Float32Array> {
  if (tf.getBackend() === "webgpu") return (await tensor.data()) as Float32Array;
  return readFloats(tf, tensor);
}
