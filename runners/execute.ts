import { basename, dirname, join } from "node:path";
import { hashFile } from "../data/file_hash.ts";
import { deriveSeed } from "../data/rng/seeded.ts";
import { StepLocks } from "./cache/lock.ts";
import { ArtifactStore } from "./cache/store.ts";
import { DataError } from "../data/data_error.ts";
import { StepError, UserError } from "./errors.ts";
import {
  canonicalJson,
  type Fingerprint,
  implementationHash,
  sha256,
  stepFingerprint,
} from "./fingerprint.ts";
import type { ProgressReporter } from "./progress.ts";
import type { PlannedStep, StepRunContext } from "./steps/step.ts";
import type { Artifact } from "./table.ts";

/** What happened to one step in a run, as run.json records it. */
export interface StepRecord {
  name: string;
  kind: string;
  fingerprint: Fingerprint;
  cached: boolean;
  status: "cached" | "computed" | "not needed";
  seconds: number;
  log: string[];
  meta?: Record<string, unknown>;
}

export interface ExecuteOptions {
  cacheDir: string;
  /** recompute every step, ignoring (and replacing) cached artifacts */
  noCache?: boolean;
  progress: ProgressReporter;
  /** step names whose artifacts the caller needs in memory */
  outputs: string[];
  /** names this run in step locks, for whoever waits on them (e.g. the run id) */
  runLabel?: string;
  /** hears every step's fingerprint once the plan is fingerprinted, before any step runs */
  onPlanned?: (fingerprints: Map<string, Fingerprint>) => void;
}

export interface ExecuteResult {
  records: StepRecord[];
  artifacts: Map<string, Artifact>;
  /** covers every step's fingerprint (code, parameters, data): see planFingerprint */
  planFingerprint: string;
  /** the `files/` folder of a step's artifact (cached or computed) */
  filesDir(name: string): string;
}

/**
 * Runs a plan: fingerprints every step (Merkle style, from code, parameters, inputs and
 * raw files), then, in order, takes each needed step from the cache or computes it. Only
 * what is needed is loaded: in a fully cached run that is just the requested outputs.
 */
export async function executePlan(
  steps: PlannedStep[],
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const store = new ArtifactStore(options.cacheDir);
  store.pruneScratch();
  const locks = new StepLocks(options.cacheDir, { run: options.runLabel });
  const byName = new Map(steps.map((s) => [s.name, s]));
  const fingerprints = await fingerprintPlan(steps, options.cacheDir);
  options.onPlanned?.(fingerprints);
  const artifacts = new Map<string, Artifact>();
  const records = new Map<string, StepRecord>();
  for (const step of steps) {
    records.set(step.name, {
      name: step.name,
      kind: step.kind.kind,
      fingerprint: fingerprints.get(step.name)!,
      cached: false,
      status: "not needed",
      seconds: 0,
      log: [],
    });
  }

  const corruptionNoticed = (record: StepRecord) => (why: string) => {
    record.log.push(`cached artifact was corrupt (${why}); recomputing`);
    options.progress.info(`cached artifact corrupt (${why}); recomputing`);
  };
  // Verified metadata of each cached step (null: not cached, or corrupt and now removed).
  const cachedMeta = new Map<string, Record<string, unknown> | null>();
  const metaOf = (name: string) => {
    if (!cachedMeta.has(name)) {
      const record = records.get(name)!;
      cachedMeta.set(name, store.loadMeta(record.fingerprint, corruptionNoticed(record)));
    }
    return cachedMeta.get(name)!;
  };

  // A step is needed if it is an output, or an input of a needed step that is not cached.
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    const step = byName.get(name)!;
    if (options.noCache || !metaOf(name)) {
      for (const input of Object.values(step.inputs)) visit(input);
    }
  };
  for (const name of options.outputs) visit(name);

  const obtain = async (name: string): Promise<Artifact> => {
    const ready = artifacts.get(name);
    if (ready) return ready;
    const step = byName.get(name)!;
    const record = records.get(name)!;
    const fingerprint = fingerprints.get(name)!;
    const index = steps.indexOf(step);
    options.progress.stepStarted(index, name, step.kind.describe?.(step.params) ?? "");
    const started = performance.now();
    const onCorrupt = corruptionNoticed(record);
    let artifact = options.noCache ? null : await store.load(fingerprint, onCorrupt);
    if (artifact) {
      record.cached = true;
      record.status = "cached";
    } else {
      await locks.acquire(fingerprint, (message) => options.progress.info(message));
      try {
        // Another run may have computed it while we waited.
        artifact = options.noCache ? null : await store.load(fingerprint, onCorrupt);
        if (artifact) {
          record.cached = true;
          record.status = "cached";
        } else {
          const inputs: Record<string, Artifact> = {};
          for (const [role, input] of Object.entries(step.inputs)) {
            inputs[role] = await obtain(input);
          }
          // Inputs may have printed their own lines: announce this step again.
          options.progress.stepStarted(index, name, step.kind.describe?.(step.params) ?? "");
          const computeStart = performance.now();
          const scratch = store.scratch();
          // --no-cache recomputes from scratch: no resuming from an earlier attempt either
          if (options.noCache) store.dropCheckpoints(fingerprint);
          const ctx = runContext(
            step,
            record,
            options.progress,
            scratch,
            (role) => store.filesDir(fingerprints.get(step.inputs[role])!),
            () =>
              store.openCheckpoints(fingerprint, {
                step: step.kind.kind,
                name,
                run: options.runLabel ?? null,
              }),
          );
          try {
            artifact = await step.kind.run(step.params, inputs, ctx);
          } catch (error) {
            store.dropScratch(scratch);
            // Bad input keeps its own type (exit 2); anything else is a failed step (exit 1).
            if (error instanceof UserError || error instanceof DataError) throw error;
            throw new StepError(name, error);
          }
          await store.save(fingerprint, step.kind.kind, artifact, scratch, {
            replace: options.noCache,
          });
          // The artifact is complete: checkpoints of its partial work are obsolete.
          store.dropCheckpoints(fingerprint);
          record.status = "computed";
          record.seconds = (performance.now() - computeStart) / 1000;
        }
      } finally {
        locks.release(fingerprint);
      }
    }
    if (record.status === "cached") record.seconds = (performance.now() - started) / 1000;
    record.meta = artifact.meta;
    options.progress.stepFinished(record.status, record.seconds);
    artifacts.set(name, artifact);
    return artifact;
  };

  for (const step of steps) {
    if (needed.has(step.name)) await obtain(step.name);
    else {
      const record = records.get(step.name)!;
      // Cached but not needed in memory: its metadata (counts, learning curves) is still
      // recorded, read from the (verified) manifest alone.
      const meta = metaOf(step.name);
      if (meta) {
        record.cached = true;
        record.status = "cached";
        record.meta = meta;
      }
      options.progress.stepStarted(steps.indexOf(step), step.name, "");
      options.progress.stepFinished(record.status, 0);
    }
  }
  // Scratch leases seen at the start may have gone quiet for the TTL by now.
  store.pruneScratch();
  return {
    records: steps.map((s) => records.get(s.name)!),
    artifacts,
    planFingerprint: planFingerprint(fingerprints),
    filesDir: (name) => store.filesDir(fingerprints.get(name)!),
  };
}

/**
 * One hash of a whole plan: every step's name and fingerprint (so its code, parameters,
 * raw data and inputs). Two runs with equal plan fingerprints compute the same things.
 */
export function planFingerprint(fingerprints: Map<string, Fingerprint>): string {
  return sha256(canonicalJson([...fingerprints]));
}

function runContext(
  step: PlannedStep,
  record: StepRecord,
  progress: ProgressReporter,
  scratch: string,
  inputFiles: (role: string) => string,
  checkpointDir: () => string,
): StepRunContext {
  const rng = step.rng ?? "seeded";
  const base = step.seed ?? 0;
  return {
    // numpy replays use the study's seed as is; our own generator derives one per step.
    seed: rng === "numpy" ? base : deriveSeed(base, step.name),
    rng,
    progress: (done, total, unit) => progress.update(done, total, unit),
    log: (message) => {
      record.log.push(message);
      progress.info(message);
    },
    filesDir: () => {
      const dir = join(scratch, "files");
      Deno.mkdirSync(dir, { recursive: true });
      return dir;
    },
    inputFiles,
    checkpointDir,
  };
}

/** Fingerprints in plan order: each step's covers its inputs' fingerprints. */
export async function fingerprintPlan(
  steps: PlannedStep[],
  cacheDir: string,
): Promise<Map<string, Fingerprint>> {
  const out = new Map<string, Fingerprint>();
  for (const step of steps) {
    const inputs: Record<string, Fingerprint> = {};
    for (const [role, name] of Object.entries(step.inputs)) {
      const fp = out.get(name);
      if (!fp) throw new Error(`plan order: ${step.name} needs ${name} first`);
      inputs[role] = fp;
    }
    let rawFiles: Record<string, string> | undefined;
    if (step.rawFiles) {
      checkRawFilesExist(step.rawFiles, step.rawFilesField ?? "data");
      rawFiles = {};
      for (const file of step.rawFiles) {
        rawFiles[file] = await hashFile(file, join(cacheDir, "file-hashes"));
      }
    }
    out.set(
      step.name,
      stepFingerprint({
        kind: step.kind.kind,
        implementation: implementationHash([...step.kind.modules, ...step.modules ?? []]),
        params: step.params,
        inputs,
        rawFiles,
      }),
    );
  }
  return out;
}

/** Every missing input file at once, with what the folder does hold, before any work. */
function checkRawFilesExist(files: string[], field: string): void {
  const missing = files.filter((file) => {
    try {
      return !Deno.statSync(file).isFile;
    } catch {
      return true;
    }
  });
  if (!missing.length) return;
  if (files.length === 1) throw new UserError(`file not found: ${files[0]}`, { path: field });
  const folder = dirname(missing[0]);
  let found: string[] = [];
  try {
    found = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
  } catch {
    throw new UserError(`folder not found: ${folder}`, { path: field });
  }
  throw new UserError(
    `missing ${missing.map((f) => basename(f)).join(", ")} in ${folder}` +
      ` (found: ${
        found.length
          ? found.slice(0, 20).join(", ") + (found.length > 20 ? ", ..." : "")
          : "nothing"
      })`,
    { path: field },
  );
}
