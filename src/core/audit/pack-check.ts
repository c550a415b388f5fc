/** node:crypto's one-shot `hash`, as the check uses it: SHA-256 of bytes, as lowercase hex. */
export type Sha256OfBytes = (algorithm: 'sha256', data: Uint8Array) => string;

/** node:buffer's `isUtf8`. */
export type IsUtf8 = (bytes: Uint8Array) => boolean;

/**
 * Whether every event of a pack (see AuditEventPack) has the hash of its prev_hash and body,
 * at, kind and subject columns that read plainly from its body, and (but the first, which
 * the walk checks) the previous event's hash as its prev_hash. False does not say what
 * is wrong: the caller then checks that batch again from records, the way that names the
 * first problem (verify-audit.ts). So this may refuse more than it must — a column holding
 * a character that JSON escapes, for one — but must never pass an event that check would
 * refuse; every shortcut below says why it cannot.
 *
 * It takes the pack over: the separators are overwritten, so that each event's hash input
 * lies in one piece. Its source is also evaluated on a worker thread (batch-checker.ts),
 * so it refers to nothing outside itself; `hash` and `isUtf8` come in as arguments.
 */
export function packIntact(
  hash: Sha256OfBytes,
  isUtf8: IsUtf8,
  pack: Uint8Array,
  ends: Uint32Array,
): boolean {
  // Two views of the pack: a Buffer's subarray costs twice a plain Uint8Array's, and a
  // Buffer turns bytes into a string to compare with a digest faster than a loop can.
  const bytes = new Uint8Array(pack.buffer, pack.byteOffset, pack.byteLength);
  const text = Buffer.from(pack.buffer, pack.byteOffset, pack.byteLength);
  const FIELDS = 7;
  const QUOTE = 34;
  const BACKSLASH = 92;
  const codes = (ascii: string): number[] => Array.from(ascii, (c) => c.charCodeAt(0));
  const V_TAIL = codes('","v":1}');
  const SUBJECT_KEY = codes(',"subject":"');
  const SEQ_KEY = codes(',"seq":');
  const KIND_KEY = codes(',"kind":"');
  const AT_KEY = codes('},"at":');
  const DATA_KEY = codes('","data":');

  const matches = (at: number, pattern: readonly number[]): boolean => {
    for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false;
    return true;
  };
  // A column read plainly: its bytes stand in the body as they are, between the quotes the
  // patterns above hold, and hold no backslash, so the JSON string there is the column's text.
  const plainCopy = (bodyAt: number, columnStart: number, columnEnd: number): boolean => {
    for (let i = columnStart, j = bodyAt; i < columnEnd; i++, j++) {
      const byte = bytes[i];
      if (byte === BACKSLASH || byte !== bytes[j]) return false;
    }
    return true;
  };

  // Compared byte for byte, values stand for the text the record check compares only when
  // they are UTF-8. With each separator made a newline, the pack is UTF-8 exactly when every
  // value is: an ASCII byte never sits inside a multi-byte character.
  for (let index = 0; index < ends.length; index++) bytes[ends[index]!] = 10;
  if (!isUtf8(bytes)) return false;

  for (let base = 0; base < ends.length; base += FIELDS) {
    const prevStart = ends[base]! + 1;
    const prevEnd = ends[base + 1]!;
    const bodyStart = prevEnd + 1;
    const bodyEnd = ends[base + 2]!;
    const hashStart = bodyEnd + 1;
    const hashEnd = ends[base + 3]!;
    const atStart = hashEnd + 1;
    const atEnd = ends[base + 4]!;
    const kindStart = atEnd + 1;
    const kindEnd = ends[base + 5]!;
    const subjectStart = kindEnd + 1;
    const subjectEnd = ends[base + 6]!;

    // Each prev_hash after the pack's first is the hash before it (the walk checks the first).
    if (
      base > 0 &&
      text.compare(text, ends[base - 5]! + 1, ends[base - 4], prevStart, prevEnd) !== 0
    ) {
      return false;
    }
    // The hash covers prev_hash followed by the body: move prev_hash over its separator.
    bytes.copyWithin(prevStart + 1, prevStart, prevEnd);
    const digest = hash('sha256', bytes.subarray(prevStart + 1, bodyEnd));
    if (text.toString('latin1', hashStart, hashEnd) !== digest) return false;

    // Canonical JSON sorts keys (actor, at, data, kind, seq, subject, v): the body ends
    // `,"kind":"…","seq":N,"subject":"…","v":1}`.
    const subjectAt = bodyEnd - V_TAIL.length - (subjectEnd - subjectStart);
    const subjectKey = subjectAt - SUBJECT_KEY.length;
    if (
      subjectKey < bodyStart ||
      !matches(bodyEnd - V_TAIL.length, V_TAIL) ||
      !matches(subjectKey, SUBJECT_KEY) ||
      !plainCopy(subjectAt, subjectStart, subjectEnd)
    ) {
      return false;
    }
    // The record check takes the last `,"seq":` before the subject's key. Only digits lie
    // between the one found here and that key, and the key cannot start among digits.
    let seqEnd = subjectKey;
    while (seqEnd > bodyStart && bytes[seqEnd - 1]! >= 48 && bytes[seqEnd - 1]! <= 57) seqEnd--;
    const seqKey = seqEnd - SEQ_KEY.length;
    const kindAt = seqKey - 1 - (kindEnd - kindStart);
    if (
      kindAt - KIND_KEY.length < bodyStart ||
      !matches(seqKey, SEQ_KEY) ||
      bytes[seqKey - 1] !== QUOTE ||
      !matches(kindAt - KIND_KEY.length, KIND_KEY) ||
      !plainCopy(kindAt, kindStart, kindEnd)
    ) {
      return false;
    }
    // The body starts `{"actor":{…},"at":"…","data":`; like the record check, take the
    // first `},"at":` in it, looking only where a `}` is.
    let atKey = text.indexOf(AT_KEY[0]!, bodyStart);
    while (atKey >= 0 && atKey + AT_KEY.length < bodyEnd && !matches(atKey, AT_KEY)) {
      atKey = text.indexOf(AT_KEY[0]!, atKey + 1);
    }
    const atAt = atKey + AT_KEY.length + 1;
    const dataKey = atAt + (atEnd - atStart);
    if (
      atKey < 0 ||
      dataKey + DATA_KEY.length > bodyEnd ||
      !matches(atKey, AT_KEY) ||
      bytes[atAt - 1] !== QUOTE ||
      !plainCopy(atAt, atStart, atEnd) ||
      !matches(dataKey, DATA_KEY)
    ) {
      return false;
    }
  }
  return true;
}
