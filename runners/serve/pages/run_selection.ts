/**
 * The runs table's selection, kept in the URL as repeated `sel=<experiment>/<run id>`: it
 * survives paging, sorting and filtering (every link and form of the page carries it), and a
 * link to the page shares it. A small script keeps the URL, the links and the count in step
 * as boxes are ticked; Compare sends every selected run, not just this page's.
 */
import { escapeHtml } from "./layout.ts";

/** The selected runs a URL names, in order, each once. */
export function selectionOf(url: URL): string[] {
  return [...new Set(url.searchParams.getAll("sel").map((s) => s.trim()).filter(Boolean))];
}

/** The bar above the table: "N selected", Clear, and the compare form with one field a run. */
export function selectionBar(selected: string[], matched: number, total: number): string {
  const fields = selected.map((key) =>
    `<input type="hidden" name="run" value="${escapeHtml(key)}">`
  ).join("");
  return `<form id="compare-form" action="/compare" method="get" class="pager">` +
    `<button type="submit" id="compare-button">Compare selected</button>` +
    `<span id="selected-count">${selected.length} selected</span>` +
    `<button type="button" id="clear-selection">Clear</button>` +
    `<span class="note">${matched} of ${total} runs match</span>` +
    `<span id="compare-runs">${fields}</span></form>`;
}

/** The checkbox of one row, ticked when the run is selected. */
export function selectBox(key: string, id: string, selected: Set<string>): string {
  return `<input type="checkbox" class="pick" value="${escapeHtml(key)}"` +
    `${selected.has(key) ? " checked" : ""} aria-label="select ${escapeHtml(id)}">`;
}

/**
 * Keeps `sel` in the address, in links marked data-keep-sel, in the query form and in the
 * compare form whenever a box changes.
 */
export const SELECTION_SCRIPT = `<script>
(() => {
  const selected = new Set(new URL(location.href).searchParams.getAll("sel"));
  const withSelection = (address) => {
    const url = new URL(address, location.href);
    url.searchParams.delete("sel");
    for (const key of selected) url.searchParams.append("sel", key);
    return url.pathname + url.search;
  };
  const hidden = (name, value) => {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  };
  const sync = () => {
    history.replaceState(null, "", withSelection(location.href));
    for (const a of document.querySelectorAll("a[data-keep-sel]")) {
      a.setAttribute("href", withSelection(a.getAttribute("href")));
    }
    const query = document.querySelector("form.query");
    for (const input of query.querySelectorAll('input[name="sel"]')) input.remove();
    for (const key of selected) query.append(hidden("sel", key));
    document.getElementById("compare-runs").replaceChildren(
      ...[...selected].map((key) => hidden("run", key)),
    );
    document.getElementById("selected-count").textContent = selected.size + " selected";
    for (const box of document.querySelectorAll("input.pick")) box.checked = selected.has(box.value);
  };
  for (const box of document.querySelectorAll("input.pick")) {
    box.addEventListener("change", () => {
      if (box.checked) selected.add(box.value);
      else selected.delete(box.value);
      sync();
    });
  }
  document.getElementById("select-page").addEventListener("change", (e) => {
    for (const box of document.querySelectorAll("input.pick")) {
      if (e.target.checked) selected.add(box.value);
      else selected.delete(box.value);
    }
    sync();
  });
  document.getElementById("clear-selection").addEventListener("click", () => {
    selected.clear();
    document.getElementById("select-page").checked = false;
    sync();
  });
})();
</script>`;
