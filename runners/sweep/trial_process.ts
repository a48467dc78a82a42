/** A trial running in its own `deno run` process, its output going to a log file. */
export interface TrialProcess {
  /** resolves when the process has exited and its log is complete */
  finished: Promise<Deno.CommandStatus>;
  /** stops the process (SIGTERM); a no-op once it has exited */
  kill(): void;
}

/**
 * Starts `deno <args>` with stdout and stderr both appended to `logFile` (first line: the
 * command), so a failed trial can be read after the sweep without re-running it.
 */
export function startTrialProcess(args: string[], logFile: string): TrialProcess {
  const log = Deno.openSync(logFile, { write: true, create: true, truncate: true });
  writeAll(log, new TextEncoder().encode(`$ ${Deno.execPath()} ${args.join(" ")}\n`));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Synchronous writes from one event loop: chunks of the two streams never interleave.
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) writeAll(log, chunk);
  };
  const finished = Promise.all([pump(child.stdout), pump(child.stderr), child.status])
    .then(([, , status]) => status)
    .finally(() => log.close());
  return {
    finished,
    kill() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
    },
  };
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array) {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}
