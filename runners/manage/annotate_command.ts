/** `tag <run> <tag…> [--remove]` and `note <run> <text…>`: annotations of a run folder. */
import type { Command } from "commander";
import { addTags, type Annotations, removeTags, setNote } from "../run_folder/annotations.ts";
import { resultsDirOption, runArguments } from "./run_arguments.ts";

export function registerTag(program: Command): void {
  program
    .command("tag")
    .description("add tags to a run (or remove them with --remove); compare shows and filters them")
    .argument("<run>", "a run folder, or a run id in the results folder")
    .argument("<tags...>", "tags: letters, digits and . _ : + @ / -")
    .option("--remove", "remove these tags instead")
    .option("--results-dir <dir>", "where to look up a bare run id (default results/)")
    .action((run: string, tags: string[], opts) => {
      const [dir] = runArguments([run], resultsDirOption(opts.resultsDir));
      const stored = opts.remove ? removeTags(dir, tags) : addTags(dir, tags);
      console.log(describe(dir, stored));
    });
}

export function registerNote(program: Command): void {
  program
    .command("note")
    .description('set a run\'s note ("" clears it)')
    .argument("<run>", "a run folder, or a run id in the results folder")
    .argument("<text...>", "the note (several words are joined by spaces)")
    .option("--results-dir <dir>", "where to look up a bare run id (default results/)")
    .action((run: string, text: string[], opts) => {
      const [dir] = runArguments([run], resultsDirOption(opts.resultsDir));
      console.log(describe(dir, setNote(dir, text.join(" "))));
    });
}

function describe(dir: string, annotations: Annotations): string {
  const tags = annotations.tags.length ? annotations.tags.join(", ") : "(none)";
  const note = annotations.note ? `\nnote: ${annotations.note}` : "";
  return `${dir}\ntags: ${tags}${note}`;
}
