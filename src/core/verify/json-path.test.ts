import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, jsonEquals, parseJsonPath } from './json-path.js';

const at = (value: unknown, path: string) => evaluateJsonPath(value, parseJsonPath(path, 'f'));

describe('JSON path', () => {
  const doc = { a: { b: [{ id: 7 }, { id: 8 }] }, 'content-type': 'json', $x: null, flag: false };

  it('walks names, quoted names and indexes', () => {
    expect(at(doc, '$')).toEqual({ found: true, value: doc });
    expect(at(doc, '$.a.b[0].id')).toEqual({ found: true, value: 7 });
    expect(at(doc, '$.a.b[-1].id')).toEqual({ found: true, value: 8 });
    expect(at(doc, "$['content-type']")).toEqual({ found: true, value: 'json' });
    expect(at(doc, '$["a"]["b"][1]')).toEqual({ found: true, value: { id: 8 } });
    expect(at(doc, '$.$x')).toEqual({ found: true, value: null });
    expect(at(doc, '$.flag')).toEqual({ found: true, value: false });
  });

  it('says a value is missing instead of guessing', () => {
    expect(at(doc, '$.a.c')).toEqual({ found: false });
    expect(at(doc, '$.a.b[5]')).toEqual({ found: false });
    expect(at(doc, '$.a[0]')).toEqual({ found: false });
    expect(at(doc, '$.a.b.length')).toEqual({ found: false });
    expect(at('text', '$.a')).toEqual({ found: false });
    expect(at({}, '$.toString')).toEqual({ found: false });
  });

  it.each(['status', '$..a', '$.a[*]', '$[?(@.a)]', '$.'])(
    'refuses %s, naming the field',
    (path) => {
      expect(() => parseJsonPath(path, 'verify.api.expect.json.path')).toThrow(
        /verify\.api\.expect\.json\.path: ".*" is not a JSON path/,
      );
    },
  );

  it('compares JSON values deeply, key order aside', () => {
    expect(jsonEquals({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(jsonEquals({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEquals([1], { 0: 1 })).toBe(false);
    expect(jsonEquals(null, {})).toBe(false);
  });
});
