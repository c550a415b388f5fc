import { describe, expect, it } from 'vitest';
import { fixtureText, thrownBy } from '../../../test/fixtures/evidence/evidence-fixtures.js';
import { parseScoreReport } from './score-report.js';

const read = (name: string) => parseScoreReport(name, fixtureText(name));

describe('parseScoreReport', () => {
  it('reads a bare score', () => {
    expect(read('score.json')).toEqual({ score: 0.86 });
  });

  it('reads a score with cases and passed, ignoring other fields', () => {
    expect(read('score-cases.json')).toEqual({ score: 0.85, cases: 20, passed: 17 });
  });

  it('refuses a report without a score at the object', () => {
    const error = thrownBy(() => read('score-missing.json'));
    expect(error.message).toBe(
      'score-missing.json: score JSON is malformed at line 1, column 1: the object has no "score" field',
    );
    expect(error.hint).toContain('{"score": 0.86}');
  });

  it('refuses a non-numeric score at its key', () => {
    expect(thrownBy(() => read('score-string.json')).message).toBe(
      'score-string.json: score JSON is malformed at line 3, column 3: "score" is the string "86%", not a number',
    );
  });

  it('refuses broken JSON at the place it breaks', () => {
    expect(thrownBy(() => read('score-broken.json')).message).toBe(
      'score-broken.json: score JSON is malformed at line 5, column 1: expected a value, found "}"',
    );
    expect(thrownBy(() => parseScoreReport('s.json', '{"score": 0.8')).message).toBe(
      "s.json: score JSON is malformed at line 1, column 14: expected ',' or '}' after a value, found the end of the file",
    );
  });

  it('refuses a number outside a JSON object', () => {
    expect(thrownBy(() => read('score-bare-number.txt')).message).toBe(
      'score-bare-number.txt: score JSON is malformed at line 1, column 1: expected an object with a "score", found a bare number',
    );
  });

  it('refuses counts that are not whole numbers or contradict each other', () => {
    expect(thrownBy(() => parseScoreReport('s.json', '{"score": 1, "cases": 2.5}')).message).toBe(
      's.json: score JSON is malformed at line 1, column 14: "cases" is 2.5, not a whole number',
    );
    expect(
      thrownBy(() => parseScoreReport('s.json', '{"score": 1,\n "cases": 2,\n "passed": 3}'))
        .message,
    ).toBe(
      's.json: score JSON is malformed at line 3, column 2: "passed" (3) is more than "cases" (2)',
    );
  });

  it('refuses an empty file', () => {
    expect(thrownBy(() => parseScoreReport('s.json', ' \n')).message).toBe(
      's.json: score JSON cannot be used: the file is empty',
    );
  });
});
