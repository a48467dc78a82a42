/**
 * Where the hand-written WebAssembly kernels live (the .wat source and the generated base64
 * module) and how they are assembled (wabt, with SIMD): shared by the build script and the
 * test that keeps the committed bytes in step with the sources.
 */
import { fileURLToPath } from "node:url";

export interface KernelSource {
  name: string;
  /** path of the .wat source */
  wat: string;
  /** path of the generated TypeScript module */
  module: string;
  /** the exported base64 constant */
  constant: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export const KERNELS: KernelSource[] = [{
  name: "batched_matmul",
  wat: here("./batched_matmul.wat"),
  module: here("./batched_matmul_wasm.ts"),
  constant: "BATCHED_MATMUL_WASM_BASE64",
}];

/** The binary of a .wat file. */
export async function assembleKernel(watPath: string): Promise<Uint8Array> {
  const { default: wabt } = await import("wabt");
  const tools = await wabt();
  const module = tools.parseWat(watPath, await Deno.readTextFile(watPath), { simd: true });
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
