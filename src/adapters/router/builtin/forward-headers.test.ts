import { describe, expect, it } from 'vitest';
import { forwardRequestHeaders, forwardResponseHeaders } from './forward-headers.js';

/** rawHeaders' flat form from name/value pairs, and back, so tests read as pairs. */
const raw = (pairs: [string, string][]): string[] => pairs.flat();
const pairs = (flat: string[]): [string, string][] =>
  Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);

describe('forwardRequestHeaders', () => {
  it('drops hop-by-hop fields, those the Connection header names too, and keeps the rest', () => {
    const out = forwardRequestHeaders(
      raw([
        ['Host', 'shop.example:8080'],
        ['Connection', 'keep-alive, X-Trace-Hop'],
        ['Keep-Alive', 'timeout=5'],
        ['X-Trace-Hop', 'secret-per-hop'],
        ['TE', 'trailers'],
        ['Accept', 'text/html'],
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
      ]),
      { remoteAddress: '127.0.0.1' },
    );
    expect(pairs(out)).toEqual([
      ['Host', 'shop.example:8080'],
      ['Accept', 'text/html'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Port', '8080'],
      ['X-Forwarded-Proto', 'http'],
      ['X-Forwarded-Host', 'shop.example:8080'],
    ]);
  });

  it('appends to the X-Forwarded-* a proxy before it set, and keeps its X-Forwarded-Host', () => {
    const out = forwardRequestHeaders(
      raw([
        ['host', 'internal'],
        ['x-forwarded-for', '203.0.113.7'],
        ['X-Forwarded-For', '10.0.0.2'],
        ['x-forwarded-proto', 'https'],
        ['x-forwarded-port', '443'],
        ['x-forwarded-host', 'shop.example'],
      ]),
      { remoteAddress: '::1' },
    );
    expect(pairs(out)).toEqual([
      ['host', 'internal'],
      ['X-Forwarded-For', '203.0.113.7,10.0.0.2,::1'],
      ['X-Forwarded-Port', '443,80'],
      ['X-Forwarded-Proto', 'https,http'],
      ['X-Forwarded-Host', 'shop.example'],
    ]);
  });
});

describe('forwardResponseHeaders', () => {
  it('keeps every Set-Cookie and the case of names, drops framing and connection fields', () => {
    const out = forwardResponseHeaders(
      raw([
        ['Content-Type', 'text/plain'],
        ['Transfer-Encoding', 'chunked'],
        ['Connection', 'close'],
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2; HttpOnly'],
        ['Location', '/next'],
      ]),
    );
    expect(pairs(out)).toEqual([
      ['Content-Type', 'text/plain'],
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2; HttpOnly'],
      ['Location', '/next'],
    ]);
  });
});
