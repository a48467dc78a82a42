/**
 * The project's command line (runners/cli.ts) in a child process, as a user runs it, with
 * its exit code and output captured as text: the one way the end-to-end tests start it.
 */
import { join } from "node:path";
import { denoRunArgs } from "../../runners/paths.ts";

const root = join(import.meta.dirname!, "..", "..");

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** added to this process's environment (NO_COLOR=1 always) */
  env?: Record<string, string>;
  /** the folder it runs in (default: this process's) */
  cwd?: string;
  /** pass the project's deno.json with --config (a cwd outside the project needs it) */
  config?: boolean;
}

/** `deno run … runners/cli.ts <args>`; resolves when it exits, whatever its code. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliOutput> {
  const config = options.config ? ["--config", join(root, "deno.json")] : [];
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, ...config, join(root, "runners", "cli.ts"), ...args],
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}
