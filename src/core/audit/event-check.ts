import type { AuditEventRecord } from '../store/records.js';

/** A batch of events as parallel columns: cheaper to send to a worker than the records. */
export interface EventColumns {
  readonly prevHashes: readonly string[];
  readonly bodies: readonly string[];
  readonly hashes: readonly string[];
  readonly kinds: readonly string[];
  readonly subjects: readonly string[];
  readonly ats: readonly string[];
}

export interface BadEvent {
  readonly index: number;
  /** `hash`: the stored hash is not that of the contents; else the column that differs. */
  readonly what: 'hash' | 'kind' | 'subject' | 'at';
}

export type Sha256Hex = (algorithm: 'sha256', data: string) => string;

export function eventColumns(batch: readonly AuditEventRecord[]): EventColumns {
  return {
    prevHashes: batch.map((event) => event.prevHash),
    bodies: batch.map((event) => event.body),
    hashes: batch.map((event) => event.hash),
    kinds: batch.map((event) => event.kind),
    subjects: batch.map((event) => event.subject),
    ats: batch.map((event) => event.at),
  };
}

/**
 * The first event of a batch whose stored hash does not match its contents, or whose kind,
 * subject or time column differs from its body; null when there is none.
 *
 * Its source is also evaluated on a worker thread (see batch-checker.ts), so it refers to
 * nothing outside itself: the hash function comes in as `hash` (node:crypto's one-shot
 * `hash`, with the same input as auditEventHash: prevHash followed by the body).
 *
 * The columns are projections of the body for queries; only the body is hashed. Canonical
 * JSON sorts keys (actor, at, data, kind, seq, subject, v), so where each projected value
 * sits is known from the body's two ends and no JSON parse is needed. This runs on every
 * event, so it compares whole slices (a memcmp) and formats a value as JSON only when the
 * quick reading fails. (The seq needs no such check: the chain ties the n-th row to the
 * n-th body.)
 */
export function firstBadEvent(hash: Sha256Hex, columns: EventColumns): BadEvent | null {
  const QUOTE = 34;
  const V_TAIL = ',"v":1}';
  const SUBJECT_KEY = ',"subject":';
  const SEQ_KEY = ',"seq":';
  const KIND_KEY = ',"kind":';
  const AT_KEY = '},"at":';
  const DATA_KEY = ',"data":';

  // The quick reading takes the characters between two quotes as the text itself, which
  // holds exactly when they contain no backslash: an authentic body escapes quotes and
  // control characters, so they cannot appear there raw.
  const stringEndingAt = (body: string, end: number, text: string): number => {
    const start = end - text.length - 2;
    if (
      start >= 0 &&
      body.charCodeAt(start) === QUOTE &&
      body.charCodeAt(end - 1) === QUOTE &&
      body.slice(start + 1, end - 1) === text &&
      !text.includes('\\')
    ) {
      return start;
    }
    const json = JSON.stringify(text);
    return end >= json.length && body.slice(end - json.length, end) === json
      ? end - json.length
      : -1;
  };
  const stringStartingAt = (body: string, start: number, text: string): number => {
    const end = start + text.length + 2;
    if (
      end <= body.length &&
      body.charCodeAt(start) === QUOTE &&
      body.charCodeAt(end - 1) === QUOTE &&
      body.slice(start + 1, end - 1) === text &&
      !text.includes('\\')
    ) {
      return end;
    }
    const json = JSON.stringify(text);
    return body.startsWith(json, start) ? start + json.length : -1;
  };
  const columnMismatch = (body: string, kind: string, subject: string, at: string) => {
    if (!body.endsWith(V_TAIL)) return 'subject';
    const subjectAt = stringEndingAt(body, body.length - V_TAIL.length, subject);
    if (subjectAt < 0 || !body.startsWith(SUBJECT_KEY, subjectAt - SUBJECT_KEY.length)) {
      return 'subject';
    }
    // The seq's digits sit between `,"seq":` and `,"subject":`; skip back over them.
    const seqKey = body.lastIndexOf(SEQ_KEY, subjectAt - SUBJECT_KEY.length);
    const kindAt = seqKey < 0 ? -1 : stringEndingAt(body, seqKey, kind);
    if (kindAt < 0 || !body.startsWith(KIND_KEY, kindAt - KIND_KEY.length)) return 'kind';
    // Inside the actor's id every quote is escaped, so the first `},"at":` ends the actor.
    const atKey = body.indexOf(AT_KEY);
    const dataAt = atKey < 0 ? -1 : stringStartingAt(body, atKey + AT_KEY.length, at);
    if (dataAt < 0 || !body.startsWith(DATA_KEY, dataAt)) return 'at';
    return undefined;
  };

  const { prevHashes, bodies, hashes, kinds, subjects, ats } = columns;
  for (let index = 0; index < bodies.length; index++) {
    const body = bodies[index]!;
    if (hash('sha256', prevHashes[index]! + body) !== hashes[index]) {
      return { index, what: 'hash' };
    }
    const what = columnMismatch(body, kinds[index]!, subjects[index]!, ats[index]!);
    if (what !== undefined) return { index, what };
  }
  return null;
}
