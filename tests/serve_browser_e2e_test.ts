/**
 * The results browser in headless Chromium (Debian's, driven by puppeteer-core; nothing is
 * downloaded): every page opens without console errors, the runs table sorts and filters,
 * two selected runs compare, a run is tagged, a sweep trial appears live, and 24 runs'
 * learning curves get 24 colours. Screenshots of each page go to test-artifacts/serve/
 * (ignored by git). Skipped, saying so, where no Chromium is installed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { projectRoot } from "../runners/paths.ts";
import { serveResults } from "../runners/serve/serve_command.ts";
import { readAnnotations } from "../runners/serve/actions.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { findChromium } from "./helpers/chromium.ts";
import { writeGeneratedRuns, writeGeneratedSweep } from "./helpers/generated_runs.ts";
import { ended, FakeSlurm, writeSlurmSweep } from "./helpers/slurm_sweep_record.ts";
import { SlurmFollowers } from "../runners/serve/slurm_followers.ts";

/** A page that has not answered in this time is broken, not slow. */
const WAIT_MS = 20_000;
const ARTIFACTS = join(projectRoot, "test-artifacts", "serve");

const chromium = findChromium();
if (!chromium) {
  console.warn(
    "serve_browser_e2e_test: no chromium on PATH (apt-get install -y chromium, or set CHROMIUM): " +
      "skipping the results browser's browser tests",
  );
}

Deno.test({
  name: "results browser in headless Chromium: every page, sort, filter, compare, tag, live sweep",
  ignore: !chromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const results = tempDir("serve-browser-");
    const dirs = writeGeneratedRuns(results, 24, { users: 400 });
    const sweepId = "20261129T090000Z-abcdef";
    writeGeneratedSweep(results, "svd-sweep", sweepId, [
      { status: "ran", runDir: dirs[0], seconds: 4, exitCode: 0, log: "ok\n" },
      { status: "failed", seconds: 1, exitCode: 1, log: "error: model.lr: too big\n" },
      { status: "running" },
    ], false);
    // A detached Slurm sweep, followed through a fake Slurm the test moves on.
    const slurmSweepId = "20261129T100000Z-51a7c0";
    const planOf = (dir: string) =>
      JSON.parse(Deno.readTextFileSync(join(dir, "run.json"))).plan_fingerprint;
    writeSlurmSweep(results, 2, {
      experiment: "svd-sweep",
      sweepId: slurmSweepId,
      plans: [planOf(dirs[3]), planOf(dirs[4])],
    });
    const slurm = new FakeSlurm();
    slurm.tasks.set("77_1", "RUNNING");
    Deno.mkdirSync(ARTIFACTS, { recursive: true });

    const abort = new AbortController();
    const listening = Promise.withResolvers<number>();
    const server = serveResults({
      resultsDir: results,
      cacheDir: tempDir("serve-browser-cache-"),
      port: 0,
      signal: abort.signal,
      onListen: ({ port }) => listening.resolve(port),
      followers: new SlurmFollowers({ poll: slurm.poll, intervalMs: 100 }),
    });
    const base = `http://127.0.0.1:${await listening.promise}`;
    const browser: Browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      userDataDir: tempDir("chromium-profile-"),
    });
    const problems: string[] = [];
    const page: Page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.setViewport({ width: 1400, height: 1000 });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${page.url()}: ${e}`));
    const shot = (name: string) =>
      page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    const texts = (selector: string) =>
      page.$$eval(selector, (cells) => cells.map((c) => c.textContent ?? ""));

    try {
      await t.step("experiments", async () => {
        await page.goto(`${base}/`);
        assert.deepEqual(await texts("tr[data-experiment] td:first-child"), ["svd-sweep"]);
        await shot("experiments");
      });

      await t.step("runs: sort by a metric", async () => {
        await page.goto(`${base}/experiments/svd-sweep/runs`);
        assert.equal((await page.$$("tr[data-run]")).length, 24);
        await Promise.all([
          page.waitForNavigation(),
          page.click('th[data-column="test.ndcg@10"] a'),
        ]);
        const column = await page.$$eval(
          "th[data-column]",
          (ths) => ths.map((th) => th.getAttribute("data-column")).indexOf("test.ndcg@10"),
        );
        const values = (await page.$$eval(
          "tr[data-run]",
          (rows, c) => rows.map((r) => r.children[(c as number) + 1].textContent ?? ""),
          column,
        )).map(Number);
        assert.deepEqual(values, [...values].sort((a, b) => b - a), "highest ndcg first");
        await shot("runs-sorted");
      });

      await t.step("runs: filter with compare's language", async () => {
        await page.type('textarea[name="filter"]', "model.factors=32");
        await Promise.all([page.waitForNavigation(), page.click("#apply")]);
        assert.equal((await page.$$("tr[data-run]")).length, 6);
        assert.match(await page.$eval("#compare-form", (f) => f.textContent ?? ""), /6 of 24 runs/);
        await shot("runs-filtered");
      });

      await t.step(
        "a selection kept across pages, a sort and a filter; compare takes it all",
        async () => {
          const count = () => page.$eval("#selected-count", (s) => s.textContent ?? "");
          await page.goto(`${base}/experiments/svd-sweep/runs?size=10`);
          const first = await page.$eval("input.pick", (b) => b.getAttribute("value"));
          await page.click("input.pick");
          await Promise.all([page.waitForNavigation(), page.click("#next-page")]);
          const second = await page.$eval("input.pick", (b) => b.getAttribute("value"));
          assert.notEqual(first, second, "page 2 shows other runs");
          await page.click("input.pick");
          assert.equal(await count(), "2 selected");
          assert.deepEqual(new URL(page.url()).searchParams.getAll("sel"), [first, second]);
          await Promise.all([
            page.waitForNavigation(),
            page.click('th[data-column="test.ndcg@10"] a'),
          ]);
          assert.equal(await count(), "2 selected", "kept by a sort");
          await page.type('textarea[name="filter"]', "model.lr=0.002");
          await Promise.all([page.waitForNavigation(), page.click("#apply")]);
          assert.equal(await count(), "2 selected", "kept by a filter");
          const ticked = await page.$$eval(
            "input.pick:checked",
            (boxes) => boxes.map((b) => b.getAttribute("value")),
          );
          for (const key of ticked) assert.ok([first, second].includes(key), key);
          await shot("runs-selected");
          await Promise.all([page.waitForNavigation(), page.click("#compare-button")]);
          assert.deepEqual(new URL(page.url()).searchParams.getAll("run"), [first, second]);
          assert.equal((await page.$$("#table tbody tr")).length, 2);
          assert.match(await page.$eval("#paired", (s) => s.textContent ?? ""), /t-test|Wilcoxon/i);
          assert.ok((await page.$$("#charts svg")).length >= 1, "charts drawn");
          await shot("compare");
          await page.goBack();
          await page.click("#clear-selection");
          assert.equal(await count(), "0 selected");
          assert.deepEqual(new URL(page.url()).searchParams.getAll("sel"), []);
          assert.equal((await page.$$("input.pick:checked")).length, 0);
        },
      );

      await t.step("wide tables scroll in their box, run ids stay in view", async () => {
        await page.setViewport({ width: 900, height: 1000 });
        await page.goto(`${base}/runs`);
        const fits = () => page.evaluate("document.documentElement.scrollWidth <= innerWidth");
        assert.ok(await fits(), "nothing sticks out of the page at 900 px");
        const wrap = await page.$eval(".table-wrap", (w) => [w.scrollWidth, w.clientWidth]);
        assert.ok(wrap[0] > wrap[1], `the table scrolls in its box: ${wrap}`);
        const idLeft = () =>
          page.$eval("tr[data-run] td:nth-child(2)", (c) => c.getBoundingClientRect().left);
        const before = await idLeft();
        await page.$eval(".table-wrap", (w) => w.scrollBy(400, 0));
        assert.equal(await idLeft(), before, "the run id column is sticky");
        await shot("runs-narrow");
        await page.setViewport({ width: 1400, height: 1000 });
        for (const path of ["/runs?size=100", "/experiments/svd-sweep/runs", "/archived"]) {
          await page.goto(`${base}${path}`);
          assert.ok(await fits(), `nothing sticks out of ${path} at 1400 px`);
        }
      });

      await t.step("tag a run", async () => {
        const id = dirs[3].split("/").at(-1)!;
        await page.goto(`${base}/runs/svd-sweep/${id}`);
        await page.type("#tag-input", "paper-figure");
        await Promise.all([page.waitForNavigation(), page.click("#tag-button")]);
        assert.deepEqual(await texts("#annotations .tagchip"), ["paper-figure"]);
        assert.deepEqual(readAnnotations(dirs[3]).tags, ["paper-figure"]);
        assert.ok((await page.$$("figure.chart svg")).length >= 1, "the run report's charts");
        await shot("run");
      });

      await t.step("24 runs compared: learning curves in 24 colours", async () => {
        const query = dirs.map((d) => `run=svd-sweep/${d.split("/").at(-1)}`).join("&");
        await page.goto(`${base}/compare?${query}`);
        const colours = await page.$$eval("#charts svg", (svgs) => {
          const last = svgs[svgs.length - 1];
          return [
            ...new Set(
              [...last.querySelectorAll(".mark-line path")].map((p) => p.getAttribute("stroke")),
            ),
          ];
        });
        assert.equal(colours.length, 24, `distinct line colours: ${colours.join(" ")}`);
        await shot("compare-24");
      });

      await t.step("a running sweep: a trial appears live", async () => {
        await page.goto(`${base}/experiments/svd-sweep/sweeps/${sweepId}`);
        assert.match(await page.$eval("#progress", (p) => p.textContent ?? ""), /2 of 3 trials/);
        assert.match(await page.$eval('tr[data-trial="2"]', (r) => r.textContent ?? ""), /too big/);
        // The page has subscribed once the first event redrew it; then the sweep moves on.
        await page.waitForSelector('body[data-live="listening"]');
        writeGeneratedSweep(results, "svd-sweep", sweepId, [
          { status: "ran", runDir: dirs[0], seconds: 4, exitCode: 0, log: "ok\n" },
          { status: "failed", seconds: 1, exitCode: 1, log: "error: model.lr: too big\n" },
          { status: "ran", runDir: dirs[1], seconds: 5, exitCode: 0 },
        ], true);
        await page.waitForSelector('tr[data-trial="3"] td.status-ran');
        assert.match(await page.$eval("#progress", (p) => p.textContent ?? ""), /3 of 3 trials/);
        await shot("sweep");
      });

      await t.step(
        "a detached Slurm sweep: the server asks Slurm while the page is open",
        async () => {
          await page.goto(`${base}/experiments/svd-sweep/sweeps/${slurmSweepId}`);
          await page.waitForSelector('tr[data-trial="1"] td.status-running');
          assert.match(
            await page.$eval("#follow", (p) => p.textContent ?? ""),
            /following Slurm job 77/,
          );
          slurm.tasks.set("77_1", ended("COMPLETED", 0));
          slurm.tasks.set("77_2", ended("FAILED", 3));
          await page.waitForSelector('body[data-live="finished"]');
          assert.match(await page.$eval('tr[data-trial="1"]', (r) => r.innerHTML), /status-ran/);
          assert.match(
            await page.$eval('tr[data-trial="2"]', (r) => r.textContent ?? ""),
            /Slurm state FAILED, exit code 3/,
          );
          assert.match(await page.$eval("#progress", (p) => p.textContent ?? ""), /2 of 2 trials/);
          await shot("sweep-slurm");
        },
      );

      await t.step("all runs, the sweeps list and the cache", async () => {
        for (
          const [path, name] of [["/runs", "all-runs"], ["/experiments/svd-sweep/sweeps", "sweeps"]]
        ) {
          const response = await page.goto(`${base}${path}`);
          assert.equal(response?.status(), 200, path);
          await shot(name);
        }
      });

      await t.step("archive a run, restore it from Archived; delete asks first", async () => {
        const id = dirs[5].split("/").at(-1)!;
        await page.goto(`${base}/runs/svd-sweep/${id}`);
        page.once("dialog", (d) => d.accept());
        await Promise.all([page.waitForNavigation(), page.click("#archive-button")]);
        assert.equal((await page.$$(`tr[data-run="svd-sweep/${id}"]`)).length, 0);
        assert.throws(() => Deno.statSync(dirs[5]), Deno.errors.NotFound);
        await page.goto(`${base}/archived`);
        await shot("archived");
        await Promise.all([
          page.waitForNavigation(),
          page.click(`tr[data-archived="svd-sweep/${id}"] button.restore`),
        ]);
        assert.ok(Deno.statSync(dirs[5]).isDirectory, "back in its experiment");
        assert.match(await page.$eval("#restored", (p) => p.textContent ?? ""), /Restored/);
        assert.equal((await page.$$("tr[data-archived]")).length, 0);

        const doomed = dirs[6].split("/").at(-1)!;
        await page.goto(`${base}/runs/svd-sweep/${doomed}`);
        page.once("dialog", (d) => d.dismiss());
        await page.click("#delete-button");
        assert.ok(Deno.statSync(dirs[6]).isDirectory, "dismissed: nothing deleted");
        page.once("dialog", (d) => d.accept());
        await Promise.all([page.waitForNavigation(), page.click("#delete-button")]);
        assert.throws(() => Deno.statSync(dirs[6]), Deno.errors.NotFound);
      });

      assert.deepEqual(problems, [], "no console errors on any page");
    } finally {
      await browser.close();
      abort.abort();
      await server.finished;
    }
  },
});
