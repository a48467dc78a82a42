/** Shared by the report tests: fixture run folders copied to a scratch folder, HTML checks. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "./helpers/temp_dir.ts";

export const reportFixtures = join(import.meta.dirname!, "fixtures", "report");

/** A scratch copy of a fixture folder (reports are written into run folders). */
export function copyFixture(name: string, into = tempDir("report-")) {
  const target = join(into, name.replaceAll("/", "_"));
  copyTree(join(reportFixtures, name), target);
  return target;
}

function copyTree(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const entry of Deno.readDirSync(from)) {
    if (entry.isDirectory) copyTree(join(from, entry.name), join(to, entry.name));
    else Deno.copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

/** The sweep fixture's run folders, copied. */
export function copySweep(): string[] {
  const root = tempDir("report-sweep-");
  return [...Deno.readDirSync(join(reportFixtures, "sweep"))]
    .map((e) => e.name)
    .sort()
    .map((name) => copyFixture(`sweep/${name}`, root));
}

/** The `<svg>…</svg>` elements of a page, in order. */
export function svgElements(html: string): string[] {
  return html.match(/<svg[\s>][\s\S]*?<\/svg>/g) ?? [];
}

/** Marks Vega drew in one SVG: elements inside its `role-mark` groups, per mark type. */
export function markCounts(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const group of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) {
    // Vega draws bars, symbols and lines as <path d="M…">, rules as <line>.
    const paths = group[2].match(/<path\s[^>]*\bd="M[^"]+"/g)?.length ?? 0;
    const lines = group[2].match(/<line\s/g)?.length ?? 0;
    counts[group[1]] = (counts[group[1]] ?? 0) + paths + lines;
  }
  return counts;
}

/**
 * Offline and self-contained: no scripts, stylesheets, images, frames or fonts fetched from
 * anywhere; the only URLs are the SVG namespace names, which are never fetched.
 */
export function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script/i, "a script");
  assert.doesNotMatch(html, /<link/i, "a <link>");
  assert.doesNotMatch(html, /<(img|iframe|object|embed)\b/i, "an embedded resource");
  assert.doesNotMatch(html, /\ssrc=/i, "a src attribute");
  assert.doesNotMatch(html, /url\(/i, "a CSS url()");
  assert.doesNotMatch(html, /@import/i, "a CSS @import");
  const urls = html.match(/\b(https?:|file:|\/\/)[^\s"'<>)]*/gi) ?? [];
  const allowed = new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]);
  assert.deepStrictEqual(urls.filter((u) => !allowed.has(u)), [], "an external reference");
}
