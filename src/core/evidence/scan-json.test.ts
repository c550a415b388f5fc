import { describe, expect, it } from 'vitest';
import { scanJson } from './scan-json.js';

const VALID = [
  '{}',
  '[]',
  '0',
  '-0.5e+10',
  '"a\\u00e9\\n"',
  'true',
  ' null ',
  '{"a": [1, {"b": false}], "c": "}"}',
  '[[[[]]]]',
];

const INVALID = [
  '',
  '{',
  '{"a"}',
  '{"a": }',
  '{"a": 1,}',
  '[1 2]',
  '01',
  '"\\x"',
  '"abc',
  '{a: 1}',
  '1 2',
  '"\t"',
  '-',
  '[1,]',
];

describe('scanJson', () => {
  it.each(VALID)('accepts what JSON.parse accepts: %s', (text) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(scanJson(text).kind).toBe('ok');
  });

  it.each(INVALID)('refuses what JSON.parse refuses: %s', (text) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(scanJson(text).kind).toBe('error');
  });

  it('gives the offsets of top-level keys only, the last duplicate winning', () => {
    const scan = scanJson('{\n  "score": {"score": 1},\n  "x": 2, "x": 3\n}');
    expect(scan).toEqual({
      kind: 'ok',
      valueOffset: 0,
      keys: new Map([
        ['score', 4],
        ['x', 37],
      ]),
    });
  });

  it('points at the first character that cannot continue the document', () => {
    expect(scanJson('{"a": 1,\n}')).toEqual({
      kind: 'error',
      offset: 9,
      reason: 'expected a double-quoted key',
    });
  });

  it('stops at a depth that would exhaust the stack', () => {
    expect(scanJson('['.repeat(100_000))).toMatchObject({
      kind: 'error',
      reason: 'values nested too deeply',
    });
  });
});
