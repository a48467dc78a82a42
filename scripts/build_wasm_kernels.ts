/**
 * Assembles the hand-written WebAssembly kernels (models/bert/wasm/*.wat) with wabt and
 * writes each as a base64 TypeScript module beside it, so running the kernels needs no
 * assembler. tests/bert_wasm_kernel_test.ts checks the committed bytes match the sources.
 *
 *   deno task build:wasm-kernels
 */
import { assembleKernel, KERNELS } from "../models/bert/wasm/kernel_sources.ts";

for (const kernel of KERNELS) {
  const bytes = await assembleKernel(kernel.wat);
  const base64 = btoa(String.fromCharCode(...bytes));
  const text =
    `// Generated from ${kernel.name}.wat by \`deno task build:wasm-kernels\`; do not edit.\n` +
    `export const ${kernel.constant} =\n  "${base64}";\n`;
  await Deno.writeTextFile(kernel.module, text);
  console.log(`${kernel.module}: ${bytes.length} bytes`);
}
