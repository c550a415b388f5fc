import { describe, expect, it } from 'vitest';
import { fixtureText, thrownBy } from '../../../test/fixtures/evidence/evidence-fixtures.js';
import { parseLcovReport } from './lcov-report.js';

const read = (name: string) => parseLcovReport(name, fixtureText(name));

describe('parseLcovReport', () => {
  it('sums two files, counting DA lines for the one without LF/LH', () => {
    // cart.ts: LF:6 LH:4; checkout.ts: 6 DA lines, 4 of them hit.
    expect(read('lcov-two-files.info')).toEqual({
      linesFound: 12,
      linesHit: 8,
      lineCoverage: 66.67,
    });
  });

  it('uses LF/LH as written even when DA lines are there', () => {
    const text = 'SF:a.ts\nDA:1,1\nDA:2,0\nLF:10\nLH:9\nend_of_record\n';
    expect(parseLcovReport('a.info', text)).toEqual({
      linesFound: 10,
      linesHit: 9,
      lineCoverage: 90,
    });
  });

  it('merges records for the same file by line, as from two test names', () => {
    const text = [
      'TN:unit',
      'SF:a.ts',
      'DA:1,1',
      'DA:2,0',
      'DA:3,0',
      'end_of_record',
      'TN:e2e',
      'SF:a.ts',
      'DA:1,0',
      'DA:2,5',
      'DA:3,0',
      'end_of_record',
    ].join('\r\n');
    expect(parseLcovReport('a.info', text)).toEqual({
      linesFound: 3,
      linesHit: 2,
      lineCoverage: 66.67,
    });
  });

  it('refuses a non-numeric DA line, naming the file, line and column', () => {
    const error = thrownBy(() => read('lcov-bad-da.info'));
    expect(error.message).toBe(
      'lcov-bad-da.info: LCOV is malformed at line 5, column 6: the hit count in "DA:5,n/a" is "n/a", not a whole number',
    );
    expect(error).toMatchObject({ line: 5, column: 6, format: 'lcov' });
  });

  it('refuses a file that ends inside a record', () => {
    expect(thrownBy(() => read('lcov-truncated.info')).message).toBe(
      'lcov-truncated.info: LCOV is malformed at line 9, column 1: the file ends inside the record for src/checkout.ts (line 7): no end_of_record',
    );
  });

  it('refuses a record opened before the previous one ended', () => {
    const text = 'SF:a.ts\nDA:1,1\nSF:b.ts\nend_of_record\n';
    expect(thrownBy(() => parseLcovReport('a.info', text)).message).toBe(
      'a.info: LCOV is malformed at line 3, column 1: SF: starts a record while the one for a.ts (line 1) has no end_of_record',
    );
  });

  it('refuses a line that is not LCOV', () => {
    const text = 'TN:\nSF:a.ts\nall good here\nend_of_record\n';
    expect(thrownBy(() => parseLcovReport('a.info', text)).message).toBe(
      'a.info: LCOV is malformed at line 3, column 1: "all good here" is not an LCOV line (TAG:value or end_of_record)',
    );
  });

  it('refuses LH greater than LF', () => {
    const text = 'SF:a.ts\nLF:2\nLH:3\nend_of_record\n';
    expect(thrownBy(() => parseLcovReport('a.info', text)).message).toBe(
      'a.info: LCOV is malformed at line 3, column 1: the record for a.ts hits 3 lines but has only 2',
    );
  });

  it('refuses a file with no records, or no instrumented lines, instead of reading 0 %', () => {
    expect(thrownBy(() => parseLcovReport('a.info', 'TN:\n')).message).toBe(
      'a.info: LCOV cannot be used: no records: the file has no SF: line',
    );
    expect(
      thrownBy(() => parseLcovReport('a.info', 'SF:a.ts\nLF:0\nLH:0\nend_of_record\n')).message,
    ).toBe('a.info: LCOV cannot be used: no instrumented lines: every record has LF:0');
  });
});
