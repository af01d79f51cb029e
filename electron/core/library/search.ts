/**
 * Word search over the library: every picture's prompt, negative prompt and path, lower-cased
 * once into one string, so that a query is a few `indexOf` scans over it instead of lower-casing
 * 100,000 strings again for each keystroke. Built on the first search after a change.
 */
import type { LibraryEntry } from './entry';

export interface SearchIndex {
  /** The entries that contain every word (any case), or all of them when there are no words. */
  matching(words: readonly string[]): Set<LibraryEntry> | null;
}

/** What one picture is searched by, as before: prompt, negative prompt and path (any case). */
function haystack(e: LibraryEntry): string {
  return `${e.prompt}\n${e.negativePrompt}\n${e.path}`;
}

/** The words of a search text, lower-cased (as the haystack is). */
export function searchWords(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function buildSearchIndex(entries: readonly LibraryEntry[]): SearchIndex {
  // Entries are separated by NUL, which a word found below can never contain, so no match spans
  // two pictures. Each part is lower-cased alone: lower-casing may change a string's length.
  // Lower-casing the whole text at once is much faster; where it changed a length (a rare letter
  // such as 'İ'), each part is lower-cased alone instead.
  let parts = entries.map(haystack);
  let text = parts.join('\0').toLowerCase();
  if (text.length !== parts.reduce((n, p) => n + p.length + 1, -1)) {
    parts = parts.map((p) => p.toLowerCase());
    text = parts.join('\0');
  }
  const starts = new Int32Array(entries.length + 1);
  let at = 0;
  parts.forEach((part, i) => {
    starts[i] = at;
    at += part.length + 1;
  });
  starts[entries.length] = at;
  /** The entry whose part holds position `pos` (binary search over the starts). */
  const entryAt = (pos: number): number => {
    let lo = 0;
    let hi = entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    matching(words) {
      if (words.length === 0) return null;
      if (words.some((w) => w.includes('\0'))) return new Set();
      const hits = new Uint16Array(entries.length);
      for (const word of words) {
        let pos = text.indexOf(word);
        while (pos >= 0) {
          const i = entryAt(pos);
          hits[i] = (hits[i] ?? 0) + 1;
          // One hit a picture per word: go on from the next picture.
          pos = text.indexOf(word, starts[i + 1] ?? text.length);
        }
      }
      const found = new Set<LibraryEntry>();
      hits.forEach((count, i) => {
        const entry = entries[i];
        if (count === words.length && entry) found.add(entry);
      });
      return found;
    },
  };
}
