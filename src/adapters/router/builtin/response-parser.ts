/** What the backend said about its answer, before any of the body. */
export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  /** Fields as received, in the flat form of `rawHeaders` (names keep their case). */
  readonly headers: string[];
}

export interface ResponseEvents {
  head(head: ResponseHead): void;
  body(chunk: Buffer): void;
  /** The answer is complete; `reusable` when the connection may carry another request. */
  end(reusable: boolean): void;
}

/** The backend broke HTTP/1.1 framing: the connection cannot be trusted any further. */
export class ResponseFramingError extends Error {}

/** Larger heads are refused, as Node's own parser does past 16 KiB by default. */
const MAX_HEAD = 64 * 1024;
const MAX_LINE = 4 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type State = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailers' | 'close' | 'done';

/**
 * An HTTP/1.1 response parser for one request on a backend connection (RFC 9112): status
 * line and fields, then the body as its framing says — none (HEAD, 1xx, 204, 304),
 * Content-Length, chunked (decoded: the client side frames it again), or until the backend
 * closes. Interim 1xx answers are skipped. Strict: a message that could be read two ways
 * (two different lengths, a length beside chunked coding, a field folded over lines) is
 * an error, and the connection is not used again.
 */
export class ResponseParser {
  private state: State = 'head';
  private pending: Buffer | undefined;
  private left = 0;
  private reusable = true;

  constructor(
    private readonly head: boolean,
    private readonly events: ResponseEvents,
  ) {}

  /** True once the answer is complete. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** True while the answer can still end by the backend closing the connection. */
  get endsAtClose(): boolean {
    return this.state === 'close';
  }

  /** True before the final status line arrived. */
  get beforeHead(): boolean {
    return this.state === 'head';
  }

  /** Takes bytes from the connection; returns false if some arrived after the answer. */
  feed(data: Buffer): boolean {
    let buffer = this.pending === undefined ? data : Buffer.concat([this.pending, data]);
    this.pending = undefined;
    while (buffer.length > 0) {
      switch (this.state) {
        case 'head': {
          const end = buffer.indexOf(HEAD_END);
          if (end < 0) {
            if (buffer.length > MAX_HEAD) throw new ResponseFramingError('response head too large');
            this.pending = buffer;
            return true;
          }
          this.readHead(buffer.toString('latin1', 0, end));
          buffer = buffer.subarray(end + 4);
          break;
        }
        case 'length': {
          if (buffer.length < this.left) {
            this.left -= buffer.length;
            this.events.body(buffer);
            return true;
          }
          const rest = buffer.subarray(this.left);
          this.events.body(buffer.subarray(0, this.left));
          this.finish();
          buffer = rest;
          break;
        }
        case 'close':
          this.events.body(buffer);
          return true;
        case 'size':
        case 'trailers': {
          const end = buffer.indexOf(CRLF);
          if (end < 0) {
            if (buffer.length > MAX_LINE) throw new ResponseFramingError('chunk line too long');
            this.pending = buffer;
            return true;
          }
          const line = buffer.toString('latin1', 0, end);
          buffer = buffer.subarray(end + 2);
          if (this.state === 'size') this.readChunkSize(line);
          else if (line === '') this.finish();
          break;
        }
        case 'data': {
          if (buffer.length <= this.left) {
            this.left -= buffer.length;
            this.events.body(buffer);
            if (this.left === 0) this.state = 'data-end';
            return true;
          }
          this.events.body(buffer.subarray(0, this.left));
          buffer = buffer.subarray(this.left);
          this.left = 0;
          this.state = 'data-end';
          break;
        }
        case 'data-end': {
          if (buffer.length < 2) {
            if (buffer[0] !== 0x0d) throw new ResponseFramingError('chunk not followed by CRLF');
            this.pending = buffer;
            return true;
          }
          if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) {
            throw new ResponseFramingError('chunk not followed by CRLF');
          }
          buffer = buffer.subarray(2);
          this.state = 'size';
          break;
        }
        case 'done':
          return false;
      }
    }
    return true;
  }

  /** The backend closed the connection: the end of a close-delimited body, else an error. */
  closed(): void {
    if (this.state !== 'close') throw new ResponseFramingError('backend closed mid-answer');
    this.reusable = false;
    this.finish();
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n');
    const match = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: (.*))?$/.exec(lines[0] ?? '');
    if (match === null) throw new ResponseFramingError('bad status line');
    const status = Number(match[2]);
    const headers: string[] = [];
    let length: string | undefined;
    let chunked = false;
    let coded = false;
    let keepAlive = match[1] === '1';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        throw new ResponseFramingError('bad header line');
      }
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      headers.push(name, value);
      switch (
        name.length === 10 || name.length === 14 || name.length === 17 ? name.toLowerCase() : ''
      ) {
        case 'content-length':
          if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== value)) {
            throw new ResponseFramingError('bad content-length');
          }
          length = value;
          break;
        case 'transfer-encoding':
          coded = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          break;
        case 'connection':
          for (const token of value.toLowerCase().split(',')) {
            const option = token.trim();
            if (option === 'close') keepAlive = false;
            else if (option === 'keep-alive' && match[1] === '0') keepAlive = true;
          }
          break;
      }
    }
    if (status < 200) {
      // An interim answer (100 Continue, 103 Early Hints); a 101 is not asked for here.
      if (status === 101) throw new ResponseFramingError('unexpected 101');
      return;
    }
    if (coded && length !== undefined) throw new ResponseFramingError('length beside coding');
    this.reusable = keepAlive;
    this.events.head({ status, reason: match[3] ?? '', headers });
    if (this.head || status === 204 || status === 304) {
      this.finish();
    } else if (coded) {
      if (chunked) {
        this.state = 'size';
      } else {
        this.reusable = false;
        this.state = 'close';
      }
    } else if (length !== undefined) {
      this.left = Number(length);
      if (this.left === 0) this.finish();
      else this.state = 'length';
    } else {
      this.reusable = false;
      this.state = 'close';
    }
  }

  private readChunkSize(line: string): void {
    const match = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
    if (match === null) throw new ResponseFramingError('bad chunk size');
    this.left = parseInt(match[1]!, 16);
    this.state = this.left === 0 ? 'trailers' : 'data';
  }

  private finish(): void {
    this.state = 'done';
    this.events.end(this.reusable);
  }
}
