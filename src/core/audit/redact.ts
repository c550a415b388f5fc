import { secretKind } from '../policy/rules/secrets-rule.js';
import type { AuditData, JsonValue } from './audit-event.js';

export const REDACTED = '[redacted]';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Canonical JSON refuses lone surrogates; an event must never fail for a stray byte. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A copy of `data` with every secret-looking string replaced, judged by the same patterns
 * that keep secrets out of the policy. The log is immutable, so a secret written to it
 * could never be taken back.
 */
export function redact(data: AuditData): AuditData {
  return visitObject(data);
}

function visit(value: JsonValue, key: string | undefined): JsonValue {
  if (typeof value === 'string') {
    return secretKind(key, value) === undefined ? wellFormed(value) : REDACTED;
  }
  // Canonical JSON has no NaN or Infinity; JSON.stringify would write null, so does the log.
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  if (isArray(value)) return value.map((item) => visit(item, key));
  return visitObject(value);
}

function visitObject(value: { readonly [key: string]: JsonValue }): AuditData {
  const out: Record<string, JsonValue> = {};
  for (const [childKey, child] of Object.entries(value)) {
    out[wellFormed(childKey)] = visit(child, childKey);
  }
  return out;
}

// Array.isArray does not narrow readonly arrays.
function isArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
