/**
 * "Did you mean …": the known name closest to what was typed, or undefined when none is close enough
 * to be a typo. Distance is optimal string alignment (Levenshtein plus swapping two neighbours, the
 * commonest slip: `dairy` → `diary`); a name that starts with what was typed also counts, if only
 * one does.
 */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word.length === 0) return undefined;
  // Short words tolerate one slip, longer ones two, and never as many as the word's own length.
  const allowed = Math.min(word.length <= 4 ? 1 : 2, word.length - 1);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(word, name.toLowerCase());
    if (d <= allowed && d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  const prefixed = word.length >= 2 ? names.filter((n) => n.toLowerCase().startsWith(word)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** " Did you mean 'x'?" for a message, or '' when nothing is close. */
export function didYouMean(typed: string, names: readonly string[]): string {
  const name = closestName(typed, names);
  return name === undefined ? '' : ` Did you mean '${name}'?`;
}
