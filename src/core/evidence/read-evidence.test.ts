import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fixtureBytes,
  fixtureText,
  thrownBy,
} from '../../../test/fixtures/evidence/evidence-fixtures.js';
import { detectEvidenceFormat } from './detect-evidence-format.js';
import { EvidenceParseError } from './evidence-error.js';
import { readEvidence } from './read-evidence.js';

describe('detectEvidenceFormat', () => {
  it.each([
    ['junit-pytest.xml', 'junit'],
    ['junit-surefire.xml', 'junit'],
    ['junit-truncated.xml', 'junit'],
    ['cobertura-counts.xml', 'cobertura'],
    ['cobertura-truncated.xml', 'cobertura'],
    ['lcov-two-files.info', 'lcov'],
    ['lcov-bad-da.info', 'lcov'],
    ['score.json', 'score'],
    ['score-string.json', 'score'],
    ['score-broken.json', 'score'],
    ['score-bare-number.txt', 'score'],
    ['score-missing.json', 'file'],
  ] as const)('%s is %s', (name, format) => {
    expect(detectEvidenceFormat(fixtureText(name))).toBe(format);
  });

  it.each([
    ['an LCOV file that starts with SF:', 'SF:a.ts\nDA:1,1\nend_of_record\n', 'lcov'],
    ['a DOCTYPE with an internal subset', '<!DOCTYPE r [<!ENTITY x "y">]>\n<testsuite/>', 'junit'],
    ['a comment before the root', '<!-- generated -->\n<coverage/>', 'cobertura'],
    ['another XML document', '<?xml version="1.0"?><html><coverage/></html>', 'file'],
    ['a JSON object without score', '{"tests": 3}', 'file'],
    ['a JSON array', '[1, 2]', 'file'],
    ['plain text', 'deployed by hand\n', 'file'],
    ['an empty file', '', 'file'],
  ] as const)('%s is %s', (_what, text, format) => {
    expect(detectEvidenceFormat(text)).toBe(format);
  });
});

describe('readEvidence', () => {
  it('detects the format, reads the summary and hashes the bytes', () => {
    const bytes = fixtureBytes('junit-pytest.xml');
    const reading = readEvidence('junit-pytest.xml', bytes);
    expect(reading).toEqual({
      format: 'junit',
      summary: { tests: 6, failures: 1, errors: 1, skipped: 1, passed: 3 },
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      fileName: 'junit-pytest.xml',
    });
  });

  it('gives the SHA-256 as lowercase hex and the size in bytes, not characters', () => {
    const reading = readEvidence('note.txt', Buffer.from('é\n', 'utf8'));
    expect(reading).toEqual({
      format: 'file',
      summary: {},
      // `printf 'é\n' | sha256sum`: the hash of the three bytes c3 a9 0a.
      sha256: 'edd3a863872a04239eb29ad4bc12fc892b3d4ae57cc7e786a3697816f8e141c2',
      size: 3,
      fileName: 'note.txt',
    });
  });

  it('reads every format end to end', () => {
    expect(readEvidence('c.xml', fixtureBytes('cobertura-counts.xml')).summary).toEqual({
      linesFound: 200,
      linesHit: 171,
      lineCoverage: 85.5,
    });
    expect(readEvidence('l.info', fixtureBytes('lcov-two-files.info')).summary).toEqual({
      linesFound: 12,
      linesHit: 8,
      lineCoverage: 66.67,
    });
    expect(readEvidence('s.json', fixtureBytes('score-cases.json')).summary).toEqual({
      score: 0.85,
      cases: 20,
      passed: 17,
    });
  });

  it('uses the format it is given instead of guessing', () => {
    const bytes = fixtureBytes('score-missing.json');
    expect(readEvidence('eval.json', bytes).format).toBe('file');
    expect(thrownBy(() => readEvidence('eval.json', bytes, 'score')).message).toBe(
      'eval.json: score JSON is malformed at line 1, column 1: the object has no "score" field',
    );
    expect(
      thrownBy(() => readEvidence('r.xml', fixtureBytes('junit-pytest.xml'), 'lcov')).message,
    ).toBe(
      'r.xml: LCOV is malformed at line 1, column 1: "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" is not an LCOV line (TAG:value or end_of_record)',
    );
  });

  it('keeps a broken report of any known format from being stored as a plain file', () => {
    for (const name of [
      'junit-truncated.xml',
      'cobertura-truncated.xml',
      'lcov-bad-da.info',
      'score-broken.json',
    ]) {
      const error = thrownBy(() => readEvidence(name, fixtureBytes(name)));
      expect(error).toBeInstanceOf(EvidenceParseError);
      expect(error.message.startsWith(`${name}: `)).toBe(true);
      expect(error.line).toBeGreaterThan(0);
      expect(error.exitCode).toBe(2);
    }
  });

  it('keeps an explicitly plain file without reading it', () => {
    const bytes = fixtureBytes('junit-truncated.xml');
    expect(readEvidence('junit.xml', bytes, 'file')).toMatchObject({ format: 'file', summary: {} });
  });

  it('reads a UTF-16 report with a byte-order mark, as Windows PowerShell writes it', () => {
    const text = fixtureText('junit-jest.xml').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(readEvidence('jest.xml', bytes)).toMatchObject({
      format: 'junit',
      summary: { tests: 5, failures: 1, errors: 0, skipped: 1, passed: 3 },
      size: bytes.length,
    });
  });

  it('counts lines the same in a CRLF report', () => {
    const text = fixtureText('cobertura-unclosed.xml').replaceAll('\n', '\r\n');
    const error = thrownBy(() => readEvidence('c.xml', Buffer.from(`\uFEFF${text}`)));
    expect(error).toMatchObject({ line: 11, column: 7 });
  });

  it('refuses an unknown format name', () => {
    expect(() => readEvidence('a', Buffer.from(''), 'xml' as 'file')).toThrow(
      'unknown evidence format "xml"',
    );
  });
});
