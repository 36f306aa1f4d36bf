/**
 * Text helpers every stage shares: counts in words, "did you mean", natural order for names
 * with numbers. Locale-independent, so output is the same on every machine.
 */
import { closest, distance } from "fastest-levenshtein";

/** "1 node", "2 nodes", "1,000 nodes": the count with thousands separators, the word in English plural. */
export function plural(n: number, word: string): string {
  return `${withThousands(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** 1234567 -> "1,234,567", without locale data. */
export function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * `; did you mean "x"?` when a candidate is close enough to be a typo of `value` (the same
 * word in another case, or a Levenshtein distance of at most a third of its length, and at
 * least 2), else "".
 */
export function didYouMean(value: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const lower = value.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase) return `; did you mean "${exactCase}"?`;
  const guess = closest(
    lower,
    candidates.map((c) => c.toLowerCase()),
  );
  const original = candidates.find((c) => c.toLowerCase() === guess) ?? guess;
  const limit = Math.max(2, Math.floor(value.length / 3));
  return distance(lower, guess) <= limit ? `; did you mean "${original}"?` : "";
}

/** Natural order for names with numbers: worker-2 before worker-10. A total order. */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (const [i, x] of pa.entries()) {
    const y = pb[i];
    if (y === undefined) break;
    if (x === y) continue;
    if (isDigit(x) && isDigit(y)) {
      const sx = x.replace(/^0+/, "");
      const sy = y.replace(/^0+/, "");
      if (sx.length !== sy.length) return sx.length - sy.length;
      if (sx !== sy) return sx < sy ? -1 : 1;
      return x.length - y.length; // same number: fewer leading zeros first
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : 1);
}

function isDigit(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}
