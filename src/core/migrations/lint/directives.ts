import { valid } from 'semver';
import { didYouMean } from '../../text/did-you-mean.js';
import type { SqlComment } from '../sql-statement.js';

/*
 * Comments that start with `eclusa:` talk to eclusa (docs/migration-lint.md):
 *   -- eclusa:no-transaction                        (before the first statement)
 *   -- eclusa:allow RULE[, RULE…] reason: TEXT       (for the next statement)
 *   -- eclusa:deprecate [table|column|schema] NAME since VERSION
 */

export type DeprecatedKind = 'table' | 'column' | 'schema';

export type Directive =
  | { readonly kind: 'no-transaction'; readonly comment: SqlComment }
  | {
      readonly kind: 'allow';
      readonly comment: SqlComment;
      readonly rules: readonly string[];
      /** Empty when the comment gave none: such a suppression suppresses nothing. */
      readonly reason: string;
    }
  | {
      readonly kind: 'deprecate';
      readonly comment: SqlComment;
      readonly object: DeprecatedKind;
      /** Dotted name parts: `[schema.]table[.column]`, or the schema. */
      readonly parts: readonly string[];
      readonly since: string;
    }
  | {
      readonly kind: 'invalid';
      readonly comment: SqlComment;
      readonly message: string;
      readonly fix: string;
    };

const NAMES = ['no-transaction', 'allow', 'deprecate'];

/** The directive in one comment, or undefined when the comment is not addressed to eclusa. */
export function parseDirective(
  comment: SqlComment,
  knownRules: readonly string[],
): Directive | undefined {
  const text = comment.text.trim().replace(/\s+/g, ' ');
  const match = /^eclusa:([\w-]*)\s*(.*)$/i.exec(text);
  if (!match) return undefined;
  const name = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  if (name === 'no-transaction') return { kind: 'no-transaction', comment };
  if (name === 'allow') return parseAllow(comment, rest, knownRules);
  if (name === 'deprecate') return parseDeprecate(comment, rest);
  const guess = didYouMean(name, NAMES);
  return {
    kind: 'invalid',
    comment,
    message: `unknown directive "eclusa:${name}"${guess ? ` (did you mean "eclusa:${guess}"?)` : ''}`,
    fix: `use one of ${NAMES.map((n) => `eclusa:${n}`).join(', ')}`,
  };
}

function parseAllow(comment: SqlComment, rest: string, knownRules: readonly string[]): Directive {
  const at = rest.search(/\breason:/i);
  const idsText = at < 0 ? rest : rest.slice(0, at);
  const reason = at < 0 ? '' : rest.slice(at + 'reason:'.length).trim();
  const rules = idsText
    .split(/[\s,]+/)
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  if (rules.length === 0)
    return {
      kind: 'invalid',
      comment,
      message: 'eclusa:allow names no rule',
      fix: 'write -- eclusa:allow RULE_ID reason: why this statement is safe here',
    };
  const unknown = rules.find((id) => !knownRules.includes(id));
  if (unknown !== undefined) {
    const guess = didYouMean(unknown, knownRules);
    return {
      kind: 'invalid',
      comment,
      message: `eclusa:allow names an unknown rule "${unknown}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      fix: 'use a rule id from docs/migration-lint.md',
    };
  }
  return { kind: 'allow', comment, rules, reason };
}

function parseDeprecate(comment: SqlComment, rest: string): Directive {
  const usage =
    'write -- eclusa:deprecate column users.legacy_email since 1.4.0 (or table NAME / schema NAME)';
  const words = rest.split(' ').filter(Boolean);
  let object: DeprecatedKind | undefined;
  const first = words[0]?.toLowerCase();
  if (first === 'table' || first === 'column' || first === 'schema') {
    object = first;
    words.shift();
  }
  const target = words[0];
  const sinceWord = words[1]?.toLowerCase();
  const version = words[2];
  if (target === undefined || sinceWord !== 'since' || version === undefined)
    return {
      kind: 'invalid',
      comment,
      message: 'eclusa:deprecate needs a name and the release it was deprecated in',
      fix: usage,
    };
  // Names fold like PostgreSQL's: unquoted parts lower-case, quoted parts as written.
  const parts = target
    .split('.')
    .map((part) => (/^".*"$/.test(part) ? part.slice(1, -1) : part.toLowerCase()));
  if (parts.some((part) => part === '')) {
    return { kind: 'invalid', comment, message: `"${target}" is not a name`, fix: usage };
  }
  // Without a kind, `a.b` is column b of table a (the common case) and `a` is a table.
  object ??= parts.length === 2 ? 'column' : 'table';
  const expected = { schema: [1, 1], table: [1, 2], column: [2, 3] }[object];
  if (parts.length < (expected[0] ?? 1) || parts.length > (expected[1] ?? 1))
    return {
      kind: 'invalid',
      comment,
      message: `"${target}" does not name a ${object}`,
      fix: usage,
    };
  if (valid(version) === null)
    return {
      kind: 'invalid',
      comment,
      message: `"${version}" is not a SemVer release version`,
      fix: 'name the release the deprecation shipped in, e.g. since 1.4.0',
    };
  return { kind: 'deprecate', comment, object, parts, since: valid(version) ?? version };
}
