/** util-linux `script`, which runs a command on a pseudo-terminal (so prompts ask). */
export async function hasScript(): Promise<boolean> {
  try {
    return (await new Deno.Command("script", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'"'"'`)}'`;

/**
 * A command on a pseudo-terminal: read its output up to a pattern, type into it, then
 * collect its exit code. `script` starts the command through $SHELL; `exec` replaces that
 * shell, because a shell left waiting in the terminal's process group also gets the ^C and
 * dash (Debian's /bin/sh) then exits 130 itself, whatever the command did.
 */
export function atTerminal(args: string[], env: Record<string, string> = {}) {
  const child = new Deno.Command("script", {
    args: ["-qec", `exec ${args.map(shellQuote).join(" ")}`, "/dev/null"],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const writer = child.stdin.getWriter();
  const decoder = new TextDecoder();
  let seen = "";
  return {
    async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const match = seen.match(pattern);
        if (match) return match;
        const { value, done } = await reader.read();
        if (done) throw new Error(`output ended before ${pattern}:\n${seen}`);
        seen += decoder.decode(value, { stream: true });
      }
    },
    type: (text: string) => writer.write(new TextEncoder().encode(text)),
    async finish(): Promise<{ code: number; output: string }> {
      await writer.close();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      const status = await child.status;
      await child.stderr.cancel();
      return { code: status.code, output: seen };
    },
  };
}
