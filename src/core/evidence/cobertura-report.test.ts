import { describe, expect, it } from 'vitest';
import { fixtureText, thrownBy } from '../../../test/fixtures/evidence/evidence-fixtures.js';
import { parseCoberturaReport } from './cobertura-report.js';

const read = (name: string) => parseCoberturaReport(name, fixtureText(name));

describe('parseCoberturaReport', () => {
  it("uses the root's lines-covered and lines-valid when both are there", () => {
    expect(read('cobertura-counts.xml')).toEqual({
      linesFound: 200,
      linesHit: 171,
      lineCoverage: 85.5,
    });
  });

  it('counts <line> elements without counts, once per file and line number', () => {
    // Method lines repeat their class's lines; Cart and Cart$Line share Cart.java.
    expect(read('cobertura-lines.xml')).toEqual({
      linesFound: 9,
      linesHit: 6,
      lineCoverage: 66.67,
    });
  });

  it('refuses a truncated report at the tag it leaves open', () => {
    const error = thrownBy(() => read('cobertura-truncated.xml'));
    expect(error.message).toBe(
      'cobertura-truncated.xml: Cobertura XML is malformed at line 12, column 15: unclosed tag <lines>: the file ends at line 12 before </lines>',
    );
    expect(error).toMatchObject({ line: 12, column: 15, format: 'cobertura' });
  });

  it('refuses a missing end tag with the validator line and column', () => {
    expect(thrownBy(() => read('cobertura-unclosed.xml')).message).toBe(
      "cobertura-unclosed.xml: Cobertura XML is malformed at line 11, column 7: expected closing tag 'class' (opened in line 6, col 9) instead of closing tag 'classes'",
    );
  });

  it('refuses a line-rate that contradicts the counts', () => {
    const xml = '<coverage line-rate="0.95" lines-covered="171" lines-valid="200"/>';
    expect(thrownBy(() => parseCoberturaReport('c.xml', xml)).message).toBe(
      'c.xml: Cobertura XML is malformed at line 1, column 1: line-rate="0.95" but 171 of 200 lines are covered (0.8550)',
    );
  });

  it('accepts a line-rate rounded to its written decimals', () => {
    const xml = '<coverage line-rate="0.67" lines-covered="2" lines-valid="3"/>';
    expect(parseCoberturaReport('c.xml', xml)).toEqual({
      linesFound: 3,
      linesHit: 2,
      lineCoverage: 66.67,
    });
  });

  it('refuses a <line> whose hits are not a whole number', () => {
    const xml = [
      '<coverage>',
      '  <packages><package><classes><class filename="a.py"><lines>',
      '    <line number="1" hits="many"/>',
      '  </lines></class></classes></package></packages>',
      '</coverage>',
    ].join('\n');
    expect(thrownBy(() => parseCoberturaReport('c.xml', xml)).message).toBe(
      'c.xml: Cobertura XML is malformed at line 3, column 5: <line> has hits="many", which is not a whole number',
    );
  });

  it('refuses a report with no lines instead of reading 0 %', () => {
    expect(thrownBy(() => parseCoberturaReport('c.xml', '<coverage line-rate="1"/>')).message).toBe(
      'c.xml: Cobertura XML is malformed at line 1, column 1: no instrumented lines: lines-valid is 0 or no <line> elements',
    );
  });
});
