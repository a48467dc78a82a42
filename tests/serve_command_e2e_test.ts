/**
 * `deno task serve` as a user starts it: the CLI process listens on loopback and says where,
 * warns when told to listen on every address, and refuses a missing results folder (exit 2).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { denoRunArgs, projectRoot } from "../runners/paths.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { writeGeneratedRuns } from "./helpers/generated_runs.ts";

const cli = join(projectRoot, "runners", "cli.ts");

/** Starts `cli.ts serve`, reads stderr up to the line with the address, returns both. */
async function startServe(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, cli, "serve", "--port", "0", ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!/http:\/\/\S+:\d+\//.test(said)) {
    const { value, done } = await reader.read();
    if (done) break;
    said += value;
  }
  const stop = async () => {
    child.kill("SIGTERM");
    await reader.cancel();
    await child.status;
  };
  return { said, url: said.match(/http:\/\/\S+:\d+\//)?.[0], stop };
}

Deno.test("serve listens on loopback and serves the experiments page", async () => {
  const results = tempDir("serve-cli-");
  writeGeneratedRuns(results, 3);
  const server = await startServe(["--results-dir", results]);
  try {
    assert.match(server.url ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/, server.said);
    assert.doesNotMatch(server.said, /warning/);
    const page = await (await fetch(server.url!)).text();
    assert.match(page, /data-experiment="svd-sweep"/);
  } finally {
    await server.stop();
  }
});

Deno.test("serve --host 0.0.0.0 warns that anyone who reaches it can act on runs", async () => {
  const results = tempDir("serve-cli-");
  const server = await startServe(["--results-dir", results, "--host", "0.0.0.0"]);
  try {
    assert.match(server.said, /warning: serving on 0\.0\.0\.0: anyone who can reach/);
  } finally {
    await server.stop();
  }
});

Deno.test("serve refuses a results folder that does not exist, with exit 2", async () => {
  const missing = join(tempDir("serve-cli-"), "nope");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, cli, "serve", "--results-dir", missing, "--port", "0"],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /nope: --results-dir: no such results folder/);
});
