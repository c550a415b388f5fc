import { invalidInput } from '../errors/eclusa-error.js';

/**
 * A minimal JSON path: `$`, `.name`, `['name']` / `["name"]` and `[index]` (negative from the
 * end), e.g. `$.data.items[0].id`. Verifications and login flows only ever point at one value,
 * so filters, wildcards and recursive descent are left out; no JSON-path library is among
 * eclusa's dependencies, and this is smaller than any of them.
 */
export type JsonPathStep = string | number;

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** The steps of a path; an invalid path is invalid input naming the field. */
export function parseJsonPath(path: string, field: string): JsonPathStep[] {
  if (!path.startsWith('$')) throw badPath(path, field, 'it must start with $');
  const steps: JsonPathStep[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const match = STEP.exec(rest);
    if (match === null) throw badPath(path, field, `cannot read "${rest}"`);
    const [all, name, index, single, double] = match;
    steps.push(index !== undefined ? Number(index) : (name ?? single ?? double ?? ''));
    rest = rest.slice(all.length);
  }
  return steps;
}

/** The value at the path, or `found: false` when any step is missing. */
export function evaluateJsonPath(
  value: unknown,
  steps: readonly JsonPathStep[],
): { found: true; value: unknown } | { found: false } {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = step < 0 ? current.length + step : step;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index] as unknown;
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current))
        return { found: false };
      if (!Object.prototype.hasOwnProperty.call(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(right, key) && jsonEquals(left[key], right[key]),
    )
  );
}

function badPath(path: string, field: string, why: string) {
  return invalidInput('VERIFY_JSON_PATH', `${field}: "${path}" is not a JSON path (${why})`, {
    hint: 'write it like $.status, $.data.items[0].id or $["content-type"]',
  });
}
