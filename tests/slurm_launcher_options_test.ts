/** `--launcher` and its Slurm options over the spec's `sweep.launcher` block; shared paths. */
import assert from "node:assert/strict";
import { UserError } from "../runners/errors.ts";
import { LauncherSchema, resolveLauncher } from "../runners/slurm/launcher_options.ts";
import { localOnlyReason, sharedPathWarnings } from "../runners/slurm/shared_paths.ts";
import { caught } from "./helpers/assert.ts";

const block = (fields: Record<string, unknown>) => LauncherSchema.parse(fields);

Deno.test("local is the default; the spec's block chooses slurm; the command line wins", () => {
  assert.deepEqual(resolveLauncher({ sbatchArg: [] }, null), { type: "local" });
  const spec = block({ type: "slurm", partition: "gpu", mem: "8G", array_parallelism: 4 });
  const fromSpec = resolveLauncher({ sbatchArg: [] }, spec, "exp.yaml");
  assert.deepEqual(fromSpec, {
    type: "slurm",
    slurm: {
      partition: "gpu",
      time: undefined,
      cpusPerTask: undefined,
      mem: "8G",
      gpus: undefined,
      arrayParallelism: 4,
      sbatchArgs: [],
      detach: false,
      partitionFrom: { file: "exp.yaml", path: "sweep.launcher.partition" },
    },
  });
  const both = resolveLauncher(
    {
      partition: "cpu",
      arrayParallelism: "2",
      cpusPerTask: "3",
      sbatchArg: ["--qos=x"],
      detach: true,
    },
    block({ type: "slurm", partition: "gpu", sbatch_args: ["--account=lab"] }),
  );
  assert.equal(both.type, "slurm");
  if (both.type !== "slurm") return;
  assert.equal(both.slurm.partition, "cpu");
  assert.equal(both.slurm.partitionFrom, undefined, "the command line's --partition");
  assert.equal(both.slurm.arrayParallelism, 2);
  assert.equal(both.slurm.cpusPerTask, 3);
  assert.deepEqual(both.slurm.sbatchArgs, ["--account=lab", "--qos=x"]);
  assert.equal(both.slurm.detach, true);
  assert.equal(resolveLauncher({ launcher: "local", sbatchArg: [] }, spec).type, "local");
});

Deno.test("bad launcher options name the option", async () => {
  const cases: Array<[Record<string, unknown>, RegExp, string]> = [
    [{ launcher: "kubernetes" }, /expected local or slurm/, "--launcher"],
    [{ partition: "gpu" }, /--partition needs --launcher slurm/, "--partition"],
    [{ arrayParallelism: "2" }, /needs --launcher slurm/, "--array-parallelism"],
    [{ launcher: "slurm", cpusPerTask: "0" }, /integer >= 1/, "--cpus-per-task"],
    [{ launcher: "slurm", gpus: "1.5" }, /integer >= 1/, "--gpus"],
    [{ launcher: "slurm", sbatchArg: ["qos=high"] }, /one sbatch option/, "--sbatch-arg"],
    [{ launcher: "slurm", time: "1:00\n#SBATCH --x" }, /one line/, "--time"],
  ];
  for (const [opts, message, path] of cases) {
    const error = await caught(() => resolveLauncher({ sbatchArg: [], ...opts }, null));
    assert.ok(error instanceof UserError, String(error));
    assert.match(error.message, message);
    assert.equal(error.location.path, path);
  }
  assert.throws(() => block({ type: "slurm", partiton: "x" }), /partiton/);
});

Deno.test("localOnlyReason: /tmp and memory file systems are local, other mounts may be shared", () => {
  const mounts = [
    { point: "/", type: "ext4" },
    { point: "/scratch", type: "tmpfs" },
    { point: "/shared", type: "nfs4" },
  ];
  assert.match(localOnlyReason("/tmp/results", mounts)!, /under \/tmp/);
  assert.match(localOnlyReason("/dev/shm/c", mounts)!, /under \/dev\/shm/);
  assert.match(localOnlyReason("/scratch/me/cache", mounts)!, /tmpfs mounted at \/scratch/);
  assert.equal(localOnlyReason("/shared/lab/results", mounts), undefined);
  assert.equal(localOnlyReason("/tmpfoo/results", mounts), undefined, "a prefix, not a folder");
  assert.equal(localOnlyReason("/home/me/results", mounts), undefined);
  const [warning] = sharedPathWarnings([{ option: "--cache-dir", path: "/tmp/c" }]);
  assert.match(warning, /^warning: --cache-dir \/tmp\/c: .*other nodes .* will not see it/);
});
