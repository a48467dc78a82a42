/**
 * Colours for charts with many series (runs, parameter combinations). Up to ten series take
 * the reports' category colours; beyond, every series gets its own hue, spread evenly around
 * the colour wheel with alternating lightness so neighbours stay apart: a colour never
 * repeats, as Vega's ten-colour scheme would from the eleventh series on.
 */

/** The reports' ten category colours (render_svg.ts's config uses the same list). */
export const CATEGORY_COLOURS = [
  "#2563eb",
  "#f97316",
  "#16a34a",
  "#dc2626",
  "#9333ea",
  "#0891b2",
  "#ca8a04",
  "#db2777",
  "#4b5563",
  "#65a30d",
];

/** `count` distinct colours, as CSS colour strings. */
export function seriesColours(count: number): string[] {
  if (count <= CATEGORY_COLOURS.length) return CATEGORY_COLOURS.slice(0, count);
  return Array.from({ length: count }, (_, i) => {
    const hue = Math.round((i * 360) / count);
    const lightness = [42, 58, 34][i % 3];
    return `hsl(${hue}, ${i % 2 ? 70 : 85}%, ${lightness}%)`;
  });
}
