/**
 * One WebAssembly memory for everything the row kernels (wasm_rows.ts) read and write: the
 * two factor matrices, both views of X, the Gramians, the loss terms and a scratch slot per
 * thread, handed out as typed-array views so the JavaScript code uses them as ordinary
 * arrays. Shared (a SharedArrayBuffer) when workers join in; sized once, never grown, so
 * the views stay valid.
 */
export type Kind = "f64" | "i32";

export interface AlsMemory<N extends string> {
  memory: WebAssembly.Memory;
  views: Record<N, Float64Array | Int32Array>;
}

/** Views of the given kinds and lengths, 16-byte aligned; null if the memory cannot be had. */
export function allocate<N extends string>(
  arrays: Record<N, [Kind, number]>,
  shared: boolean,
): AlsMemory<N> | null {
  let bytes = 0;
  const at: Record<string, number> = {};
  for (const [name, [kind, length]] of Object.entries(arrays) as [string, [Kind, number]][]) {
    at[name] = bytes;
    bytes += Math.ceil((length * (kind === "f64" ? 8 : 4)) / 16) * 16;
  }
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = shared
      ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
      : new WebAssembly.Memory({ initial: pages });
  } catch {
    return null;
  }
  const views = {} as Record<N, Float64Array | Int32Array>;
  for (const [name, [kind, length]] of Object.entries(arrays) as [N, [Kind, number]][]) {
    views[name] = kind === "f64"
      ? new Float64Array(memory.buffer, at[name], length)
      : new Int32Array(memory.buffer, at[name], length);
  }
  return { memory, views };
}
