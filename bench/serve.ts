/**
 * The results browser at 1,000 and 10,000 run folders (issue 13: runs page <= 1 s at 10,000,
 * start-up <= 2 s). Run folders are written by the runner's own writer (writeRun) into a
 * temporary results folder; then `cli.ts serve` is started as a user starts it and timed:
 *   - start-up: process spawn to "listening" (Deno start included);
 *   - the first runs page (the index is built in the background right after listening, so
 *     this waits for whatever of it is left), then warm: time to first byte and full body;
 *   - the runs page sorted by a metric, filtered, and its last page;
 *   - with Chromium installed: the page's full load in a headless browser (load event);
 *   - the server's resident memory and the CPU seconds it used for the warm requests.
 *
 *   deno run -A bench/serve.ts [--runs 1000,10000]
 */
import { join } from "node:path";
import { denoRunArgs, projectRoot } from "../runners/paths.ts";
import { writeGeneratedRuns } from "../tests/helpers/generated_runs.ts";

const counts =
  (Deno.args.includes("--runs") ? Deno.args[Deno.args.indexOf("--runs") + 1] : "1000,10000").split(
    ",",
  ).map(Number);
const WARM_REPEATS = 5;

console.log(`load before: ${Deno.readTextFileSync("/proc/loadavg").trim()}`);
const rows: string[] = [];
for (const count of counts) {
  const results = Deno.makeTempDirSync({ prefix: "bench-serve-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(results, { recursive: true }));
  const written = performance.now();
  writeGeneratedRuns(results, count);
  const writeSeconds = (performance.now() - written) / 1000;
  const server = await startServer(results);
  const base = server.url.replace(/\/$/, "");
  const page = `${base}/experiments/svd-sweep/runs`;
  const first = await timed(page);
  const cpuBefore = cpuSeconds(server.pid);
  const warm = await median(page);
  // A new query builds its filtered and sorted table; the same one again reuses it.
  const sortedUrl = `${page}?sort=test.ndcg@10&desc=1`;
  const filteredUrl = `${page}?filter=model.factors%3D32&where=test.ndcg@10%3E0.1&sort=model.lr`;
  const sortedFirst = await timed(sortedUrl);
  const sorted = await median(sortedUrl);
  const filteredFirst = await timed(filteredUrl);
  const filtered = await median(filteredUrl);
  const last = await median(`${page}?page=${Math.ceil(count / 50)}`);
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const requests = WARM_REPEATS * 4 + 2;
  const browser = await browserLoad(page);
  const rss = rssMb(server.pid);
  await server.stop();
  const s = (x: number) => x.toFixed(3);
  rows.push(
    `| ${count.toLocaleString("en")} | ${s(server.startup)} | ${s(first.ttfb)} / ${
      s(first.total)
    } | ` +
      `${s(warm.ttfb)} / ${s(warm.total)} | ${s(sortedFirst.total)} / ${s(sorted.total)} | ` +
      `${s(filteredFirst.total)} / ${s(filtered.total)} | ` +
      `${s(last.total)} | ${browser === undefined ? "–" : s(browser)} | ${rss} | ` +
      `${s(cpu / requests)} | ${(first.bytes / 1024).toFixed(0)} | ${writeSeconds.toFixed(0)} |`,
  );
}
console.log(`load after: ${Deno.readTextFileSync("/proc/loadavg").trim()}\n`);
console.log(
  "| run folders | start-up s | first runs page s (TTFB / full) | warm runs page s (TTFB / full) " +
    "| sorted by a metric s (new / again) | filtered s (new / again) | last page s | browser load s " +
    "| server RSS MiB | server CPU s per page after the first | page KiB | writing the folders s |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);

async function startServer(results: string) {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...denoRunArgs,
      join(projectRoot, "runners", "cli.ts"),
      "serve",
      "--port",
      "0",
      "--results-dir",
      results,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!/http:\/\/\S+:\d+\//.test(said)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited: ${said}`);
    said += value;
  }
  const startup = (performance.now() - started) / 1000;
  return {
    url: said.match(/http:\/\/\S+:\d+\//)![0],
    pid: child.pid,
    startup,
    stop: async () => {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    },
  };
}

async function timed(url: string) {
  const started = performance.now();
  const response = await fetch(url);
  const ttfb = (performance.now() - started) / 1000;
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return { ttfb, total: (performance.now() - started) / 1000, bytes: body.byteLength };
}

async function median(url: string) {
  const runs = [];
  for (let i = 0; i < WARM_REPEATS; i++) runs.push(await timed(url));
  runs.sort((a, b) => a.total - b.total);
  return runs[Math.floor(runs.length / 2)];
}

/** utime + stime of a process, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const line = Deno.readTextFileSync(`/proc/${pid}/status`).match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

/** Navigation to the load event in headless Chromium, median of 3; undefined without one. */
async function browserLoad(url: string): Promise<number | undefined> {
  const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (!chromium) return undefined;
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await page.goto(url, { waitUntil: "load" });
      times.push((performance.now() - started) / 1000);
    }
    return times.sort((a, b) => a - b)[1];
  } finally {
    await browser.close();
  }
}
