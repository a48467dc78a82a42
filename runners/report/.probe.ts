const t0 = performance.now();
const vl = await import("npm:vega-lite@6.5.0");
const vega = await import("npm:vega@6.4.0");
console.log("import ms", performance.now() - t0);
const spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 1 }] },
  mark: "line",
  encoding: { x: { field: "x", type: "quantitative", title: "Epoch number" }, y: { field: "y", type: "quantitative" } },
};
const t1 = performance.now();
const compiled = vl.compile(spec as never).spec;
const view = new vega.View(vega.parse(compiled), { renderer: "none" });
const svg = await view.toSVG();
console.log("render ms", performance.now() - t1);
console.log(svg.slice(0, 1500));
console.log(svg.match(/https?:\/\/[^"' ]+/g));
