import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: the one byte form that hashes and signatures cover. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  // canonicalize answers undefined for values JSON cannot hold (a bare function, undefined).
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}
