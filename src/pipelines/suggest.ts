/**
 * "Did you mean ...?" for misspelt keys, stage, sink and query names.
 */

/**
 * Edit distance counting an adjacent swap as one edit (optimal string alignment), because the
 * typos people make in config keys are mostly swaps: `stagse`, `duckbd`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word`, if one is close enough to be what was meant. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  // Short words tolerate fewer edits, or `io` would "mean" `cpu`.
  const limit = lower.length <= 3 ? 1 : lower.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    let distance = editDistance(lower, c);
    // A truncated name (`finger`, `desc`, `folow` for followSymlinks) is a near miss whatever
    // its edit distance to the whole name.
    if (distance > limit && lower.length >= 3 && c.startsWith(lower)) distance = limit;
    if (distance > limit && lower.length >= 4) {
      const prefixes = [lower.length - 1, lower.length, lower.length + 1].map((n) => c.slice(0, n));
      if (prefixes.some((p) => editDistance(lower, p) <= 1)) distance = limit;
    }
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or ` (expected a, b or c)` when nothing is close; '' without candidates. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = suggest(word, candidates);
  if (match !== undefined) return ` (did you mean "${match}"?)`;
  if (candidates.length === 0) return '';
  return ` (expected ${orList(candidates)})`;
}

/** `a`, `a or b`, `a, b or c` (or `a, b and c`). */
export function orList(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
