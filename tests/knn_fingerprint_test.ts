/** Each neighbourhood model's steps fingerprint the shared code and its own file, no other's. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { codeClosure } from "../runners/module_graph.ts";
import { planExperiment } from "../runners/plan.ts";
import { validateSpec } from "../runners/spec/load.ts";

function knnFilesOf(type: string, step: string): string[] {
  const spec = validateSpec({ name: "x", data: { scale: "tiny" }, model: { type } });
  const planned = planExperiment(spec).find((s) => s.name === step)!;
  return [...codeClosure([...planned.kind.modules, ...planned.modules ?? []]).files.keys()]
    .filter((f) => f.includes(join("models", "knn") + "/"))
    .map((f) => f.slice(f.lastIndexOf("/") + 1));
}

const MODEL_FILES = ["itemknn.ts", "userknn.ts", "rp3beta.ts"];
const SHARED = ["neighbourhood_model.ts", "build.ts", "neighbours.ts", "recommend.ts", "worker.ts"];

Deno.test("itemknn, userknn and rp3beta steps cover the shared code and only their own model", () => {
  for (const type of ["itemknn", "userknn", "rp3beta"]) {
    for (const step of ["train", "recommend"]) {
      const files = knnFilesOf(type, step);
      for (const file of SHARED) assert.ok(files.includes(file), `${type} ${step}: ${file}`);
      assert.deepEqual(
        files.filter((f) => MODEL_FILES.includes(f)),
        [`${type}.ts`],
        `${type} ${step}: model files`,
      );
    }
  }
});
