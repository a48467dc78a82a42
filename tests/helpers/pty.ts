/** util-linux `script`, which runs a command on a pseudo-terminal (so prompts ask). */
export async function hasScript(): Promise<boolean> {
  try {
    return (await new Deno.Command("script", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}
