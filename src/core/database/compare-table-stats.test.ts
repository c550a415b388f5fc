import { describe, expect, it } from 'vitest';
import { compareTableStats } from './compare-table-stats.js';

describe('compareTableStats', () => {
  it('passes equal tables and names every difference, missing and extra tables too', () => {
    const a = { table: 'public.a', rows: 3, checksum: '10' };
    const b = { table: 'public.b', rows: 1, checksum: '7' };
    expect(compareTableStats([a, b], [b, a])).toEqual([]);
    expect(
      compareTableStats(
        [a, b, { table: 'public.gone', rows: 0, checksum: '0' }],
        [{ ...a, checksum: '11' }, b, { table: 'public.new', rows: 2, checksum: '5' }],
      ),
    ).toEqual([
      {
        table: 'public.a',
        expected: { rows: 3, checksum: '10' },
        actual: { rows: 3, checksum: '11' },
      },
      { table: 'public.gone', expected: { rows: 0, checksum: '0' } },
      { table: 'public.new', actual: { rows: 2, checksum: '5' } },
    ]);
  });
});
