import { describe, expect, it } from 'vitest';
import { ResponseFramingError, ResponseParser, type ResponseHead } from './response-parser.js';

interface Seen {
  head: ResponseHead | undefined;
  body: string;
  ends: boolean[];
}

function parser(headOnly = false): { parser: ResponseParser; seen: Seen } {
  const seen: Seen = { head: undefined, body: '', ends: [] };
  return {
    seen,
    parser: new ResponseParser(headOnly, {
      head: (head) => (seen.head = head),
      body: (chunk) => (seen.body += chunk.toString('latin1')),
      end: (reusable) => seen.ends.push(reusable),
    }),
  };
}

/** Feeds the text in pieces of `size` bytes, as a connection may deliver it. */
function feed(target: ResponseParser, text: string, size = text.length): boolean[] {
  const bytes = Buffer.from(text, 'latin1');
  const results: boolean[] = [];
  for (let i = 0; i < bytes.length; i += size)
    results.push(target.feed(bytes.subarray(i, i + size)));
  return results;
}

const SIZES = [1, 2, 3, 7, 1000];

describe('ResponseParser', () => {
  it.each(SIZES)('reads a Content-Length answer fed %i bytes at a time', (size) => {
    const { parser: p, seen } = parser();
    feed(
      p,
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world',
      size,
    );
    expect(seen.head).toEqual({
      status: 200,
      reason: 'OK',
      headers: ['Content-Type', 'text/plain', 'Content-Length', '11'],
    });
    expect(seen.body).toBe('hello world');
    expect(seen.ends).toEqual([true]);
    expect(p.done).toBe(true);
  });

  it.each(SIZES)(
    'decodes a chunked answer with extensions and trailers, %i bytes at a time',
    (size) => {
      const { parser: p, seen } = parser();
      const text =
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n';
      expect(feed(p, text, size).every(Boolean)).toBe(true);
      expect(seen.body).toBe('hello 0123456789');
      expect(seen.ends).toEqual([true]);
    },
  );

  it('reads no body after HEAD, 204 and 304, whatever Content-Length says', () => {
    const head = parser(true);
    feed(head.parser, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
    expect(head.seen).toMatchObject({ body: '', ends: [true] });
    for (const status of ['204 No Content', '304 Not Modified']) {
      const { parser: p, seen } = parser();
      feed(p, `HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\n`);
      expect(seen).toMatchObject({ body: '', ends: [true] });
    }
  });

  it('skips interim 1xx answers and reads the final one', () => {
    const { parser: p, seen } = parser();
    feed(
      p,
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' +
        'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
      4,
    );
    expect(seen.head?.status).toBe(201);
    expect(seen.body).toBe('ok');
    expect(seen.ends).toEqual([true]);
  });

  it('reads a body without length until the backend closes, and never reuses that connection', () => {
    const { parser: p, seen } = parser();
    feed(p, 'HTTP/1.1 200 OK\r\n\r\nsome ');
    feed(p, 'bytes');
    expect(p.endsAtClose).toBe(true);
    expect(seen.ends).toEqual([]);
    p.closed();
    expect(seen).toMatchObject({ body: 'some bytes', ends: [false] });
  });

  it('reuses a connection only when the backend keeps it open', () => {
    const reusable = (text: string) => {
      const { parser: p, seen } = parser();
      feed(p, text);
      return seen.ends;
    };
    expect(reusable('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')).toEqual([
      false,
    ]);
    expect(reusable('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).toEqual([false]);
    expect(
      reusable('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n'),
    ).toEqual([true]);
    // A coding other than chunked last: the body runs to the close.
    expect(reusable('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx')).toEqual([]);
  });

  it('says when bytes arrive after the answer: the connection is out of step', () => {
    const { parser: p, seen } = parser();
    expect(feed(p, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n')).toEqual([
      false,
    ]);
    expect(seen.body).toBe('ok');
  });

  it.each([
    ['a status line that is not HTTP/1.x', 'HTP/1.1 200 OK\r\n\r\n'],
    [
      'a length beside chunked coding',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
    ],
    ['two different lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'],
    ['a length that is not a number', 'HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\n'],
    ['a field folded over two lines', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  2\r\n\r\n'],
    ['a line without a colon', 'HTTP/1.1 200 OK\r\nX-A\r\n\r\n'],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXY'],
    ['a 101 nobody asked for', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('refuses %s', (_what, text) => {
    const { parser: p } = parser();
    expect(() => feed(p, text)).toThrow(ResponseFramingError);
  });

  it('refuses a head larger than 64 KiB and a close in the middle of a body', () => {
    const big = parser();
    expect(() => feed(big.parser, `HTTP/1.1 200 OK\r\nX-A: ${'a'.repeat(70_000)}`)).toThrow(
      ResponseFramingError,
    );
    const cut = parser();
    feed(cut.parser, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    expect(() => cut.parser.closed()).toThrow(ResponseFramingError);
    expect(cut.seen.ends).toEqual([]);
  });

  it('accepts the same length twice', () => {
    const { parser: p, seen } = parser();
    feed(p, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok');
    expect(seen).toMatchObject({ body: 'ok', ends: [true] });
  });
});
