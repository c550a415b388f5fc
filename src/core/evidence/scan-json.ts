/**
 * Where things are in a JSON text. `JSON.parse` stays the authority on values; this
 * scanner exists because V8's messages give no position for some errors ("Unexpected
 * token" and "Unexpected end") and none at all for keys, and a report's error must
 * name its line.
 */
export type JsonScan =
  | {
      readonly kind: 'ok';
      /** Offset of the top-level value's first character. */
      readonly valueOffset: number;
      /** Offsets of the top-level object's keys (the last one wins, as in JSON.parse). */
      readonly keys: ReadonlyMap<string, number>;
    }
  | { readonly kind: 'error'; readonly offset: number; readonly reason: string };

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// Thrown inside the scanner only, to unwind the recursion to scanJson's catch.
class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function scanJson(text: string): JsonScan {
  let at = 0;
  const keys = new Map<string, number>();
  const fail = (reason: string, offset = at): never => {
    throw new JsonSyntaxError(offset, reason);
  };
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1;
  };
  const expect = (char: string, reason: string): void => {
    skipSpace();
    if (text.charAt(at) !== char)
      fail(at >= text.length ? `${reason}, found the end of the file` : reason);
    at += 1;
  };

  const string = (): string => {
    const start = at;
    at += 1;
    while (at < text.length) {
      const char = text.charAt(at);
      if (char === '"') {
        at += 1;
        return JSON.parse(text.slice(start, at)) as string;
      }
      if (char < ' ') fail('a control character inside a string');
      if (char === '\\') {
        const escape = text.charAt(at + 1);
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail('a bad \\u escape');
          at += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') fail('a bad escape in a string');
        at += 2;
        continue;
      }
      at += 1;
    }
    return fail('an unterminated string', start);
  };

  const number = (): void => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match === null) return fail('an invalid number');
    at += match[0].length;
  };

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail('values nested too deeply');
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') return object(depth);
    if (char === '[') return array(depth);
    if (char === '"') {
      string();
      return;
    }
    if (char === '-' || (char >= '0' && char <= '9')) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    fail(
      at >= text.length
        ? 'expected a value, found the end of the file'
        : `expected a value, found ${quote(char)}`,
    );
  };

  const object = (depth: number): void => {
    at += 1;
    skipSpace();
    if (text.charAt(at) === '}') {
      at += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (text.charAt(at) !== '"') fail('expected a double-quoted key');
      const keyOffset = at;
      const key = string();
      if (depth === 0) keys.set(key, keyOffset);
      expect(':', "expected ':' after a key");
      value(depth + 1);
      skipSpace();
      if (text.charAt(at) === '}') {
        at += 1;
        return;
      }
      expect(',', "expected ',' or '}' after a value");
    }
  };

  const array = (depth: number): void => {
    at += 1;
    skipSpace();
    if (text.charAt(at) === ']') {
      at += 1;
      return;
    }
    for (;;) {
      value(depth + 1);
      skipSpace();
      if (text.charAt(at) === ']') {
        at += 1;
        return;
      }
      expect(',', "expected ',' or ']' after a value");
    }
  };

  try {
    skipSpace();
    const valueOffset = at;
    value(0);
    skipSpace();
    if (at < text.length) fail(`unexpected ${quote(text.charAt(at))} after the JSON value`);
    return { kind: 'ok', valueOffset, keys };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { kind: 'error', offset: error.offset, reason: error.reason };
    }
    throw error;
  }
}

function quote(char: string): string {
  return JSON.stringify(char);
}
