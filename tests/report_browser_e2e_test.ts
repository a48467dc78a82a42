/**
 * The run report opened in headless Chromium (Debian's `chromium`, installed by .ci/run):
 * every chart is laid out at a real size and every mark Vega wrote has real geometry in the
 * browser. Skipped, with a message, where no Chromium is installed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeRunReport } from "../runners/report/run_report.ts";
import { copyFixture, markCounts, svgElements } from "./report_helpers.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { findChromium } from "./helpers/chromium.ts";

/** Chromium starts in ~2 s here; a hung browser must not hang the suite. */
const BROWSER_TIMEOUT_MS = 30_000;

const chromium = findChromium();
if (!chromium) {
  console.warn(
    "report_browser_e2e_test: no chromium on PATH (apt-get install -y chromium, or set CHROMIUM): " +
      "skipping the headless-browser check",
  );
}

async function headless(profile: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command(chromium!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      "--window-size=1280,2400",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(BROWSER_TIMEOUT_MS),
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.ok(output.success, `chromium failed: ${new TextDecoder().decode(output.stderr)}`);
  return stdout;
}

/**
 * Measures, once the page has loaded, each chart's laid-out size and how many of its marks
 * have a non-empty bounding box, and writes that into the DOM that --dump-dom prints. Added
 * to a copy only: the report itself carries no script.
 */
const PROBE = `<script>
addEventListener("load", () => {
  const charts = [...document.querySelectorAll("figure.chart svg")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const marks = [...svg.querySelectorAll("g.role-mark > *")];
    const drawn = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
    return { width: box.width, height: box.height, marks: marks.length, drawn: drawn.length };
  });
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(charts);
  document.body.append(out);
});
</script>`;

Deno.test({
  name: "report in headless Chromium: every chart laid out and every mark drawn",
  ignore: !chromium,
  async fn() {
    const dir = copyFixture("svdpp-small");
    const html = Deno.readTextFileSync(await writeRunReport(dir));
    const expected = svgElements(html).map((svg) =>
      Object.values(markCounts(svg)).reduce((a, b) => a + b, 0)
    );
    assert.equal(expected.length, 5);
    const probed = join(dir, "probed.html");
    Deno.writeTextFileSync(probed, html.replace("</body>", `${PROBE}</body>`));
    const profile = tempDir("chromium-");
    const png = join(dir, "report.png");
    const dom = await headless(profile, "--dump-dom", `--screenshot=${png}`, `file://${probed}`);
    const json = dom.match(/<pre id="probe">([^<]*)<\/pre>/)?.[1];
    assert.ok(json, "the probe ran in the page");
    const charts: Array<{ width: number; height: number; marks: number; drawn: number }> = JSON
      .parse(json.replaceAll("&quot;", '"'));
    assert.equal(charts.length, expected.length, "every chart is in the browser's DOM");
    charts.forEach((chart, i) => {
      assert.ok(chart.width > 200 && chart.height > 150, `chart ${i} laid out: ${chart.width}`);
      assert.equal(chart.marks, expected[i], `chart ${i}: marks in the DOM`);
      assert.equal(chart.drawn, chart.marks, `chart ${i}: every mark has geometry`);
    });

    // And a picture of the page, for people: PNG signature, and far from a blank page.
    const bytes = Deno.readFileSync(png);
    assert.deepStrictEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 50_000, `screenshot of ${bytes.length} bytes`);
  },
});
