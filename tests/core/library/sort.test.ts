/** The Library's orders (library.query's `sort`), on the index's newest-first list. */
import { describe, expect, it } from 'vitest';
import { inOrder } from '../../../electron/core/library/sort';

const entries = [
  { id: 'D', createdMs: 4000, model: 'sd3.5-large', rating: 3 },
  { id: 'C', createdMs: 3000, model: null, rating: 5 },
  { id: 'B', createdMs: 2000, model: 'Core', rating: 3 },
  { id: 'A', createdMs: 1000, model: 'sd3.5-flash' },
];
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id).join('');

describe('inOrder', () => {
  it('newest is the index itself; oldest reverses it without touching the index', () => {
    expect(inOrder(entries)).toBe(entries);
    expect(inOrder(entries, 'newest')).toBe(entries);
    expect(ids(inOrder(entries, 'oldest'))).toBe('ABCD');
    expect(ids(entries)).toBe('DCBA');
  });

  it('rating: best first, unrated last, the same rating newest first', () => {
    expect(ids(inOrder(entries, 'rating'))).toBe('CDBA');
  });

  it('model: by name in any case, the same model newest first, none last', () => {
    const more = [{ id: 'E', createdMs: 500, model: 'core' }, ...entries];
    expect(ids(inOrder(more, 'model'))).toBe('BEADC');
  });
});
