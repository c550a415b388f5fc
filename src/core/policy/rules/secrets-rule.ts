import { SECRET_REF_PATTERN } from '../schema/common.js';
import type { PolicyPath } from '../policy-issue.js';
import type { RuleContext } from './rule-context.js';

/**
 * Secrets never live in the policy. A key whose name says "secret" must hold a reference,
 * and any value that looks like a credential is refused wherever it appears. Messages
 * name the place and the kind of secret, never the value.
 */
const SENSITIVE_KEY =
  /^(?:pass(?:wd|word)?|secret|token|dsn|authorization|credentials?|.*(?:password|secret|apikey|privatekey|accesstoken|authtoken|apitoken))$/;

const LOOKS_LIKE: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/hooks\.slack\.com\/services\/[A-Za-z0-9/]{10,}/, 'a Slack webhook URL'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\b(?:sk|rk)_live_[A-Za-z0-9]{10,}/, 'a Stripe key'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
  [/\bBearer\s+(?!\$\{)[A-Za-z0-9._~+/=-]{12,}/i, 'a bearer token'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$]+:(?!\$\{)[^\s@/]+@/i, 'a URL with a password'],
];

const INTERPOLATION = /\$\{(?:env|file):[^}]+\}/g;

function isReferenceOnly(value: string): boolean {
  if (SECRET_REF_PATTERN.test(value)) return true;
  const rest = value
    .replace(INTERPOLATION, '')
    .replace(/^\s*(?:Bearer|Basic|Token)\s*/i, '')
    .trim();
  return rest === '' && value !== '';
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** What kind of secret `value` looks like, if any. */
export function secretKind(key: string | undefined, value: string): string | undefined {
  for (const [pattern, kind] of LOOKS_LIKE) if (pattern.test(value)) return kind;
  if (
    key !== undefined &&
    SENSITIVE_KEY.test(normaliseKey(key)) &&
    value.trim() !== '' &&
    !isReferenceOnly(value)
  ) {
    return `a value for "${key}"`;
  }
  return undefined;
}

/** Scans any parsed document, valid or not, so a secret is reported even beside schema errors. */
export function reportInlineSecrets(data: unknown, context: RuleContext): void {
  const seen = new WeakSet<object>();
  const visit = (value: unknown, path: PolicyPath, key: string | undefined): void => {
    if (typeof value === 'string') {
      const kind = secretKind(key, value);
      if (kind) {
        context.error(
          path,
          'INLINE_SECRET',
          `${kind} is written in the policy`,
          'move it to the environment or a file and write env:NAME (or ${env:NAME} inside text); then rotate it, since it was committed',
        );
      }
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i], key));
    else
      for (const [childKey, child] of Object.entries(value))
        visit(child, [...path, childKey], childKey);
  };
  visit(data, [], undefined);
}
