import { describe, expect, it } from 'vitest';
import { fixtureText, thrownBy } from '../../../test/fixtures/evidence/evidence-fixtures.js';
import { parseJunitReport } from './junit-report.js';

const read = (name: string) => parseJunitReport(name, fixtureText(name));

describe('parseJunitReport', () => {
  it('counts a pytest report under a <testsuites> root', () => {
    expect(read('junit-pytest.xml')).toEqual({
      tests: 6,
      failures: 1,
      errors: 1,
      skipped: 1,
      passed: 3,
    });
  });

  it('counts a Surefire report with a single <testsuite> root, not counting flaky reruns as failures', () => {
    expect(read('junit-surefire.xml')).toEqual({
      tests: 7,
      failures: 2,
      errors: 1,
      skipped: 1,
      passed: 3,
    });
  });

  it('counts a jest-junit report with several suites', () => {
    expect(read('junit-jest.xml')).toEqual({
      tests: 5,
      failures: 1,
      errors: 0,
      skipped: 1,
      passed: 3,
    });
  });

  it('counts test cases in nested suites once, checking every level', () => {
    expect(read('junit-nested.xml')).toEqual({
      tests: 4,
      failures: 1,
      errors: 0,
      skipped: 1,
      passed: 2,
    });
  });

  it('counts a test case with both a failure and an error in both, as pytest does', () => {
    const xml = `<testsuite tests="1" failures="1" errors="1">
  <testcase name="t"><failure/><error/></testcase>
</testsuite>`;
    expect(parseJunitReport('double.xml', xml)).toEqual({
      tests: 1,
      failures: 1,
      errors: 1,
      skipped: 0,
      passed: 0,
    });
  });

  it('reads an empty run as zero tests rather than refusing it', () => {
    expect(parseJunitReport('empty.xml', '<testsuites tests="0"/>')).toEqual({
      tests: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
      passed: 0,
    });
  });

  it('refuses a truncated report, naming the file and line', () => {
    const error = thrownBy(() => read('junit-truncated.xml'));
    expect(error.message).toBe(
      "junit-truncated.xml: JUnit XML is malformed at line 13, column 14: attributes for 'testcase' have open quote",
    );
    expect(error).toMatchObject({ code: 'EVIDENCE_UNREADABLE', kind: 'invalid-input', line: 13 });
  });

  it('points at the tag a cut-off report leaves open', () => {
    const text = fixtureText('junit-pytest.xml').split('\n').slice(0, 15).join('\n');
    const error = thrownBy(() => parseJunitReport('cut.xml', text));
    expect(error.message).toBe(
      'cut.xml: JUnit XML is malformed at line 3, column 3: unclosed tag <testsuite>: the file ends at line 15 before </testsuite>',
    );
  });

  it('refuses a suite whose attributes disagree with its test cases', () => {
    const error = thrownBy(() => read('junit-miscounted.xml'));
    expect(error.message).toBe(
      'junit-miscounted.xml: JUnit XML is malformed at line 3, column 3: <testsuite name="pytest"> says failures="0" but its test cases show 1',
    );
    expect(error.hint).toContain('disagree');
  });

  it('refuses a count attribute that is not a whole number', () => {
    const xml = '<testsuites>\n  <testsuite name="a" tests="two"/>\n</testsuites>';
    expect(thrownBy(() => parseJunitReport('r.xml', xml)).message).toBe(
      'r.xml: JUnit XML is malformed at line 2, column 3: <testsuite> has tests="two", which is not a whole number',
    );
  });

  it('refuses another XML document', () => {
    expect(
      thrownBy(() => parseJunitReport('r.xml', '<?xml version="1.0"?>\n<html/>')).message,
    ).toBe(
      'r.xml: JUnit XML is malformed at line 2, column 1: the root element is <html>, not <testsuites> or <testsuite>',
    );
  });

  it('refuses two root elements', () => {
    expect(thrownBy(() => parseJunitReport('r.xml', '<testsuite/>\n<testsuite/>')).message).toBe(
      'r.xml: JUnit XML is malformed at line 2, column 1: a second root element <testsuite>: a report has exactly one',
    );
  });

  it('refuses an empty file', () => {
    expect(thrownBy(() => parseJunitReport('r.xml', '')).message).toBe(
      'r.xml: JUnit XML is malformed at line 1: start tag expected',
    );
  });
});
