/** test first, then dev, then the rest (folds) by name: the order report tables use. */
export function partOrder(a: string, b: string): number {
  const rank = (p: string) => (p === "test" ? 0 : p === "dev" ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}
