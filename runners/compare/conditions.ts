import YAML from "yaml";
import { UserError } from "../errors.ts";
import { paramKey, type ParamValue } from "../run_folder/flatten_spec.ts";

export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=";

/** `model.k=10`, `test.ndcg@10>0.1`: a column, an operator, a value (a YAML scalar). */
export interface Condition {
  key: string;
  operator: Operator;
  value: unknown;
  text: string;
}

/** `tag=baseline`: the run has that tag; `tag!=baseline`: it has not. */
export const TAG_KEY = "tag";

const CONDITION = /^\s*([^\s=!<>]+)\s*(==|!=|>=|<=|=|>|<)\s*(.*?)\s*$/;

/** Parses one `--filter`/`--where` argument; `option` names it in errors. */
export function parseCondition(text: string, option: string): Condition {
  const match = text.match(CONDITION);
  if (!match || match[3] === "") {
    throw new UserError(
      `expected <field><op><value> with op one of = != > >= < <=, got '${text}'`,
      { path: option },
    );
  }
  const operator = (match[2] === "==" ? "=" : match[2]) as Operator;
  let value: unknown;
  try {
    value = YAML.parse(match[3]);
  } catch {
    value = match[3];
  }
  if (match[1] === TAG_KEY && operator !== "=" && operator !== "!=") {
    throw new UserError(`'${text}': a tag is matched with = (has it) or != (lacks it)`, {
      path: option,
    });
  }
  if (operator !== "=" && operator !== "!=" && typeof value !== "number") {
    throw new UserError(`'${operator}' needs a number on its right, got '${match[3]}'`, {
      path: option,
    });
  }
  return { key: match[1], operator, value, text };
}

/**
 * Whether a run's value satisfies the condition. Equality compares canonical values (so
 * `model.k=10` matches the number 10 and `evaluate.on=[test, dev]` the list); a field the
 * run lacks (or a NaN metric) fails every condition but `!=`.
 */
export function satisfies(actual: ParamValue | undefined, condition: Condition): boolean {
  const { operator, value } = condition;
  if (operator === "=" || operator === "!=") {
    const equal = actual !== undefined && !Number.isNaN(actual) &&
      paramKey(actual) === paramKey(value as ParamValue);
    return operator === "=" ? equal : !equal;
  }
  if (typeof actual !== "number" || Number.isNaN(actual)) return false;
  const bound = value as number;
  switch (operator) {
    case ">":
      return actual > bound;
    case ">=":
      return actual >= bound;
    case "<":
      return actual < bound;
    default:
      return actual <= bound;
  }
}

/** Whether a run's tags satisfy a `tag` condition (= has the tag, != lacks it). */
export function satisfiesTag(tags: string[], condition: Condition): boolean {
  const has = tags.includes(String(condition.value));
  return condition.operator === "!=" ? !has : has;
}
