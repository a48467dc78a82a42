import { Command, CommanderError } from "commander";
import { DataError } from "../data/data_error.ts";
import { EXIT_BAD_INPUT, EXIT_FAILED, StepError, UserError } from "./errors.ts";

type Registrar = (program: Command) => void;

/**
 * Every subcommand, each in its own module, imported only when it is the one invoked
 * (all of them for `--help`): a cached `run` does not pay for reports or statistics.
 */
const commands: Record<string, () => Promise<Registrar>> = {
  run: async () => (await import("./run_command.ts")).registerRun,
  check: async () => (await import("./check/check_command.ts")).registerCheck,
  report: async () => (await import("./report/report_command.ts")).registerReport,
  compare: async () => (await import("./compare/compare_command.ts")).registerCompare,
  sweep: async () => (await import("./sweep/sweep_command.ts")).registerSweep,
  serve: async () => (await import("./serve/serve_command.ts")).registerServe,
  tag: async () => (await import("./manage/annotate_command.ts")).registerTag,
  note: async () => (await import("./manage/annotate_command.ts")).registerNote,
  archive: async () => (await import("./manage/archive_command.ts")).registerArchive,
  delete: async () => (await import("./manage/archive_command.ts")).registerDelete,
  gc: async () => (await import("./manage/gc_command.ts")).registerGc,
};

export async function buildProgram(args: string[]): Promise<Command> {
  const program = new Command("recsys")
    .description("declarative experiment runner for recommender-system research")
    .exitOverride()
    .showHelpAfterError();
  const wanted = args[0] in commands ? [args[0]] : Object.keys(commands);
  for (const name of wanted) (await commands[name]())(program);
  return program;
}

export async function main(args: string[]): Promise<number> {
  try {
    await (await buildProgram(args)).parseAsync(args, { from: "user" });
    return typeof Deno.exitCode === "number" ? Deno.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof UserError) {
      console.error(`error: ${error.describe()}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof DataError) {
      console.error(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof StepError) {
      console.error(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    console.error(error);
    return EXIT_FAILED;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
