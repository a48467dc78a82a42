import { z } from "zod";

const Member = z.strictObject({
  /** the row label in the summary tables, e.g. "Top-Pop" */
  label: z.string().min(1),
  /** an experiment spec, relative to the suite file */
  spec: z.string().min(1),
});

/**
 * A suite: several experiments run together (each through the cache as usual), with
 * summary tables across them. `--set` overrides apply to every member, so
 * `--set data.dir=...` points the whole suite at the real download.
 */
export const SuiteSchema = z.strictObject({
  name: z.string().regex(
    /^[a-z0-9][a-z0-9_.-]*$/,
    "use lower-case letters, digits, '-', '_' or '.'",
  ),
  description: z.string().default(""),
  suite: z.strictObject({
    /** the study's protocol: metrics_summary.csv with the study's columns */
    faithful: z.array(Member).default([]),
    /** the sound protocol: metrics_summary_sound.csv, beyond-accuracy metrics, significance */
    sound: z.array(Member).default([]),
    /** the label paired tests in the sound table compare against */
    baseline: z.string().nullable().default(null),
  }),
});

export type Suite = z.output<typeof SuiteSchema>;

/**
 * A suite with its members' specs resolved (files read, overrides applied, defaults
 * filled): what a suite's run folder records as its spec, and all `check` needs to run it
 * again. Members are keyed `<group>/<label>` (`faithful/Top-Pop`); each is validated as
 * an experiment spec when read back.
 */
export const ResolvedSuiteSchema = SuiteSchema.extend({
  /** the `--set` overrides, as typed */
  overrides: z.array(z.string()),
  members: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export type ResolvedSuite = z.output<typeof ResolvedSuiteSchema>;

/** Whether a resolved spec (a run folder's spec.json) is a suite's. */
export function isSuiteSpec(spec: Record<string, unknown>): boolean {
  return "suite" in spec;
}
