import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../../electron/core/library';
import { buildSearchIndex, searchWords } from '../../../electron/core/library/search';

const entry = (prompt: string, negativePrompt = '', path = `2026-01-01/${prompt}.png`) =>
  ({ prompt, negativePrompt, path }) as LibraryEntry;

describe('word search', () => {
  const entries = [
    entry('A red Fox in the snow'),
    entry('İstanbul at night, a fox'),
    entry('a castle', 'fox'),
    entry('owl', '', 'owls/fox-den.png'),
    entry('nothing here'),
  ];
  const index = buildSearchIndex(entries);
  const prompts = (text: string) =>
    [...(index.matching(searchWords(text)) ?? [])].map((e) => e.prompt).sort();

  it('finds the pictures holding every word, in prompt, negative prompt or path, any case', () => {
    expect(prompts('FOX')).toEqual(
      ['A red Fox in the snow', 'a castle', 'owl', 'İstanbul at night, a fox'].sort(),
    );
    expect(prompts('fox snow')).toEqual(['A red Fox in the snow']);
    expect(prompts('fox fox night')).toEqual(['İstanbul at night, a fox']);
    expect(prompts('zebra')).toEqual([]);
    expect(index.matching(searchWords('  '))).toBeNull();
  });

  it('keeps each picture apart, even where lower-casing changes a text’s length', () => {
    // 'İ' lower-cases to two characters: the entries after it must still be found whole.
    expect(prompts('castle')).toEqual(['a castle']);
    expect(prompts('here')).toEqual(['nothing here']);
    // No match across two pictures, and a NUL in a word matches nothing.
    expect(prompts('snow\0')).toEqual([]);
    expect(prompts('png\0i̇stanbul')).toEqual([]);
  });
});
