import { describe, expect, it } from 'vitest';
import { forwardRequest, forwardResponseHeaders } from './forward-headers.js';

/** rawHeaders' flat form from name/value pairs, and back, so tests read as pairs. */
const raw = (pairs: [string, string][]): string[] => pairs.flat();
const pairs = (flat: string[]): [string, string][] =>
  Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);

describe('forwardRequest', () => {
  it('drops hop-by-hop fields, those the Connection header names too, and keeps the rest', () => {
    const { headers: out, hasBody } = forwardRequest(
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
    expect(hasBody).toBe(false);
  });

  it('appends to the X-Forwarded-* a proxy before it set, and keeps its X-Forwarded-Host', () => {
    const { headers: out } = forwardRequest(
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

  it('leaves out the X-Forwarded-* and other fields a Connection header names, in any case', () => {
    const { headers: out } = forwardRequest(
      raw([
        ['X-Forwarded-For', '198.51.100.1'],
        ['Host', 'shop.example'],
        ['connection', 'X-FORWARDED-FOR'],
        ['Connection', 'x-a'],
        ['X-A', '1'],
        ['X-Ab', '2'],
      ]),
      { remoteAddress: '127.0.0.1' },
    );
    expect(pairs(out)).toEqual([
      ['Host', 'shop.example'],
      ['X-Ab', '2'],
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Port', '80'],
      ['X-Forwarded-Proto', 'http'],
      ['X-Forwarded-Host', 'shop.example'],
    ]);
  });

  it('keeps names of every length and case, and drops hop-by-hop ones whatever their case', () => {
    const names = ['A', 'Te', 'ETag', 'UPGRADE', 'Trailer', 'X-Custom-Header-With-A-Long-Name'];
    const { headers: out } = forwardRequest(raw(names.map((name, i) => [name, String(i)])), {
      remoteAddress: undefined,
    });
    expect(pairs(out).slice(0, -4)).toEqual([
      ['A', '0'],
      ['ETag', '2'],
      ['X-Custom-Header-With-A-Long-Name', '5'],
    ]);
  });

  it('tells a request with a body from one without', () => {
    const body = (fields: [string, string][]) =>
      forwardRequest(raw(fields), { remoteAddress: '127.0.0.1' }).hasBody;
    expect(body([['Host', 'a']])).toBe(false);
    expect(body([['Content-Length', '0']])).toBe(false);
    expect(body([['content-length', ' 0 ']])).toBe(false);
    expect(body([['Content-Length', '12']])).toBe(true);
    expect(body([['Transfer-Encoding', 'chunked']])).toBe(true);
    expect(
      body([
        ['TRANSFER-ENCODING', 'chunked'],
        ['Connection', 'x-a'],
      ]),
    ).toBe(true);
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

  it('drops the fields a Connection header names', () => {
    const out = forwardResponseHeaders(
      raw([
        ['Connection', 'keep-alive, X-Backend-Hop'],
        ['X-Backend-Hop', '1'],
        ['Keep-Alive', 'timeout=5'],
        ['Content-Length', '2'],
      ]),
    );
    expect(pairs(out)).toEqual([['Content-Length', '2']]);
  });
});
