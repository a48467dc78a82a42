import { defineExperiment } from "../spec.ts";

/** The Top-Pop experiment as a typed TS spec, on the tiny embedded dataset (seconds). */
export default defineExperiment({
  name: "toppop-tiny",
  description: "Top-Pop on the tiny embedded dataset",
  data: { scale: "tiny" },
  model: { type: "toppop", k: 10 },
});
