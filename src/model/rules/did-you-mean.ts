/**
 * "Did you mean": the one suggestion rule for a misspelt catalog entry (scope, capability, type,
 * role), so that the constructs, the provider and the server suggest the same thing.
 */

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The most edits a word may be away from a candidate to be suggested: a third of it, at least 2. */
export function suggestionThreshold(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidate `word` most plausibly misspells, or undefined when none is close. Case is ignored;
 * the nearest candidate within {@link suggestionThreshold} wins (the first of equals, so the
 * catalog's order decides); failing that, for `resource:access` words, the first candidate with the
 * same resource (`customers:view` suggests `customers:read`).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(w, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= suggestionThreshold(w)) return best;
  const colon = w.indexOf(':');
  if (colon <= 0) return undefined;
  const resource = w.slice(0, colon + 1);
  return candidates.find((c) => c.toLowerCase().startsWith(resource));
}
