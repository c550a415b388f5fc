import type { z } from 'zod';
import { didYouMean } from '../text/did-you-mean.js';
import type { PolicyIssue, PolicyPath } from './policy-issue.js';
import { formatPath } from './policy-issue.js';
import type { PolicySource } from './policy-source.js';
import { secretKind } from './rules/secrets-rule.js';

/*
 * Turns zod's issues into PolicyIssues with positions, stable codes and hints. Knowing
 * which keys were allowed (for "did you mean") needs the schema itself, so this walks it
 * alongside the data; zod exposes its definitions as `_zod.def`.
 */

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
  values?: unknown[];
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

function literalValues(schema: z.ZodType): unknown[] {
  const def = defOf(schema);
  if (def.type === 'literal' || def.type === 'enum') {
    return (
      def.values ??
      Object.values((def as unknown as { entries?: Record<string, unknown> }).entries ?? {})
    );
  }
  if (def.innerType) return literalValues(def.innerType);
  return [];
}

/** The object schema that describes `data` at `path`, following unions by the data's own shape. */
function objectShapeAt(
  root: z.ZodType,
  rootData: unknown,
  path: PolicyPath,
): Record<string, z.ZodType> | undefined {
  let schema: z.ZodType | undefined = root;
  let data = rootData;
  let i = 0;
  while (schema) {
    const def = defOf(schema);
    if (def.innerType) {
      schema = def.innerType;
      continue;
    }
    if (def.type === 'pipe' && def.in) {
      schema = def.in;
      continue;
    }
    if (def.type === 'union' && def.options) {
      schema = pickOption(def, data);
      continue;
    }
    if (i === path.length) return def.type === 'object' ? def.shape : undefined;
    const segment = path[i++];
    const child: unknown =
      data !== null && typeof data === 'object'
        ? (data as Record<string, unknown>)[String(segment)]
        : undefined;
    if (def.type === 'object' && def.shape && typeof segment === 'string')
      schema = def.shape[segment];
    else if (def.type === 'record') schema = def.valueType;
    else if (def.type === 'array') schema = def.element;
    else return undefined;
    data = child;
  }
  return undefined;
}

function pickOption(def: ZodDef, data: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  if (def.discriminator) {
    const value = record[def.discriminator];
    return options.find((option) => {
      const shape = objectShapeAt(option, data, []);
      const discriminant = shape?.[def.discriminator ?? ''];
      return discriminant !== undefined && literalValues(discriminant).includes(value);
    });
  }
  // A plain union: the object option that shares most keys with the data.
  let best: z.ZodType | undefined;
  let bestScore = -1;
  for (const option of options) {
    const shape = objectShapeAt(option, data, []);
    if (!shape) continue;
    const score = Object.keys(record).filter((key) => key in shape).length;
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

function describeValue(value: unknown, key?: string | number): string {
  if (value === undefined) return 'nothing';
  // Never echo something that looks like a credential back into a message.
  if (typeof value === 'string' && secretKind(typeof key === 'string' ? key : undefined, value))
    return 'a value that looks like a secret';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: PolicyPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

type RawIssue = z.core.$ZodIssue;

/** zod reports every branch of a plain union; keep the branch that came closest. */
function flatten(issues: readonly RawIssue[]): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      out.push(
        ...flatten(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))),
      );
    } else {
      out.push(issue);
    }
  }
  return out;
}

export function schemaIssues(
  source: PolicySource,
  schema: z.ZodType,
  rawIssues: readonly RawIssue[],
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const issue of flatten(rawIssues)) {
    const path = issue.path.filter(
      (segment): segment is string | number => typeof segment !== 'symbol',
    );
    const at = (
      p: PolicyPath,
      where: 'key' | 'value' = 'value',
    ): { line: number; column: number } => source.locate(p, where);
    const push = (
      p: PolicyPath,
      code: string,
      message: string,
      hint: string,
      where: 'key' | 'value' = 'value',
    ): void => {
      issues.push({
        severity: 'error',
        file: source.fileAt?.(p) ?? source.file,
        ...at(p, where),
        code,
        message,
        hint,
        path: formatPath(p),
      });
    };
    const value = valueAt(source.data, path);
    const found = describeValue(value, path[path.length - 1]);
    const where = formatPath(path);

    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = Object.keys(objectShapeAt(schema, source.data, path) ?? {});
        for (const key of issue.keys) {
          const guess = didYouMean(key, known);
          push(
            [...path, key],
            'UNKNOWN_KEY',
            `unknown key "${key}" in ${where}`,
            guess ? `did you mean "${guess}"?` : `allowed keys here: ${known.join(', ')}`,
            'key',
          );
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined) {
          const field = path[path.length - 1];
          push(
            path,
            'MISSING_KEY',
            `${where} is required`,
            `add "${String(field)}:" to ${formatPath(path.slice(0, -1))}`,
            'key',
          );
        } else {
          push(
            path,
            'WRONG_TYPE',
            `${where} must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, found ${found}`,
            `write ${where} as ${exampleFor(issue.expected)}`,
          );
        }
        break;
      }
      case 'invalid_union': {
        const discriminator = (issue as { discriminator?: string }).discriminator;
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        if (discriminator !== undefined) {
          const discriminatorPath =
            path[path.length - 1] === discriminator ? path : [...path, discriminator];
          const given = valueAt(source.data, discriminatorPath);
          if (given === undefined) {
            push(
              discriminatorPath.slice(0, -1),
              'MISSING_KEY',
              `${formatPath(discriminatorPath)} is required`,
              `add "${discriminator}:" with one of: ${options.join(', ')}`,
              'key',
            );
          } else {
            const guess = typeof given === 'string' ? didYouMean(given, options) : undefined;
            push(
              discriminatorPath,
              'INVALID_VALUE',
              `${formatPath(discriminatorPath)} is ${describeValue(given, discriminator)}, which is not a known ${discriminator}`,
              guess
                ? `did you mean "${guess}"? (one of: ${options.join(', ')})`
                : `use one of: ${options.join(', ')}`,
            );
          }
        } else {
          push(
            path,
            'INVALID_VALUE',
            `${where} matches none of the allowed forms`,
            'see `eclusa policy schema` for the forms this field takes',
          );
        }
        break;
      }
      case 'invalid_value': {
        const options = issue.values.map((v) => String(v));
        const guess = typeof value === 'string' ? didYouMean(value, options) : undefined;
        push(
          path,
          'INVALID_VALUE',
          `${where} is ${found}, expected ${options.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${options.join(', ')}`}`,
          guess
            ? `did you mean "${guess}"?`
            : `use ${options.length === 1 ? String(options[0]) : `one of: ${options.join(', ')}`}`,
        );
        break;
      }
      case 'too_small':
      case 'too_big': {
        const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
        const what =
          issue.origin === 'array'
            ? `${bound} item(s)`
            : issue.origin === 'string'
              ? `${bound} character(s)`
              : bound;
        // An exclusive bound (`gt`, `lt`) excludes the bound itself: "below 1", not "at most 1".
        const relation =
          issue.code === 'too_small'
            ? issue.inclusive === false
              ? 'above'
              : 'at least'
            : issue.inclusive === false
              ? 'below'
              : 'at most';
        push(
          path,
          'OUT_OF_RANGE',
          `${where} is ${Array.isArray(value) ? `a list of ${value.length}` : found}, ${relation} ${what} allowed`,
          `use a value ${relation} ${what}`,
        );
        break;
      }
      case 'invalid_format': {
        push(path, 'INVALID_FORMAT', `${where} ${issue.message}`, `found ${found}`);
        break;
      }
      default:
        push(
          path,
          'INVALID_VALUE',
          `${where}: ${issue.message}`,
          'see `eclusa policy schema` for what this field takes',
        );
    }
  }
  return issues;
}

function exampleFor(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping (key: value lines indented below it)';
    case 'array':
      return 'a list (lines starting with "- ")';
    case 'number':
      return 'a number without quotes';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'text (quote it if it starts with a special character)';
    default:
      return `a ${expected}`;
  }
}
