/** Why the tests that need a Slurm cluster cannot run here, or undefined when they can. */
export async function slurmSkipReason(): Promise<string | undefined> {
  const answer = async (command: string, args: string[]) => {
    try {
      return (await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output())
        .success;
    } catch {
      return undefined; // not on PATH
    }
  };
  if (await answer("sbatch", ["--version"]) === undefined) {
    return "sbatch is not on PATH (scripts/slurm_cluster.sh up installs and starts a one-node cluster)";
  }
  if (!await answer("sinfo", ["-h"])) {
    return "Slurm's controller does not answer (start it with scripts/slurm_cluster.sh up)";
  }
  return undefined;
}
