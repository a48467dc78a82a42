import { cpus, platform, release } from "node:os";
import { projectRoot } from "./paths.ts";

/** What run.json records about where a run happened, so results can be traced. */
export interface Environment {
  deno: string;
  v8: string;
  typescript: string;
  packages: Record<string, string>;
  os: string;
  cpu: string;
  cores: number;
  git: { commit: string | null; dirty: boolean | null };
}

export function captureEnvironment(): Environment {
  let packages: Record<string, string> = {};
  try {
    const config = JSON.parse(Deno.readTextFileSync(`${projectRoot}/deno.json`));
    packages = Object.fromEntries(
      Object.entries(config.imports as Record<string, string>).map(([name, spec]) => [
        name,
        spec.replace(/^npm:/, ""),
      ]),
    );
  } catch {
    // not run from the project tree: no package list
  }
  const info = cpus();
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    packages,
    os: `${platform()} ${release()}`,
    cpu: info[0]?.model ?? "unknown",
    cores: info.length,
    git: gitState(),
  };
}

function gitState(): Environment["git"] {
  const git = (...args: string[]) => {
    try {
      const out = new Deno.Command("git", { args, cwd: projectRoot, stderr: "null" }).outputSync();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  const commit = git("rev-parse", "HEAD");
  const status = commit === null ? null : git("status", "--porcelain", "--untracked-files=no");
  return { commit, dirty: status === null ? null : status.length > 0 };
}
