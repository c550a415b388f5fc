import { describe, expect, it } from 'vitest';
import { CORPUS } from './lint-corpus.js';
import { findingKeys, lintSql } from './lint-sql.js';

describe('linter corpus: safe and unsafe migrations with every finding expected', () => {
  it('has at least 60 cases, safe and unsafe', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(CORPUS.filter((c) => c.expected.length === 0).length).toBeGreaterThan(20);
    expect(CORPUS.filter((c) => c.expected.length > 0).length).toBeGreaterThan(30);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, corpusCase) => {
    const report = lintSql(corpusCase.files, corpusCase.release);
    const several =
      typeof corpusCase.files !== 'string' && Object.keys(corpusCase.files).length > 1;
    expect(findingKeys(report, several)).toEqual(corpusCase.expected);
  });
});
