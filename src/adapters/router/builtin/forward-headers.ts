/**
 * Header fields that describe one connection, not the message (RFC 9110 §7.6.1): a proxy
 * never passes them on. Framing (content-length, chunked) is Node's to redo on each hop.
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const FORWARDED: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-forwarded-host',
]);

/** What a request's own connection adds to the X-Forwarded-* fields. */
export interface ClientConnection {
  readonly remoteAddress: string | undefined;
}

/** The request's fields for the backend, and whether the request has a body to stream. */
export interface ForwardedRequest {
  readonly headers: string[];
  /** A Transfer-Encoding, or a Content-Length other than 0. */
  readonly hasBody: boolean;
}

/**
 * The header list of the request sent on to a backend, in the flat form of `rawHeaders`
 * (names keep their case, repeated fields stay repeated): the client's fields without the
 * hop-by-hop ones, and X-Forwarded-For/-Port/-Proto appended to, X-Forwarded-Host kept or
 * set from Host — what the backend needs to know who asked and how.
 *
 * Run for every proxied request, so it makes one pass over the fields and lowercases a
 * name only when its length is that of a field some rule is about; a Connection header
 * that names further fields (rare) costs a second pass that leaves them out.
 */
export function forwardRequest(raw: readonly string[], client: ClientConnection): ForwardedRequest {
  const first = requestFields(raw, client, undefined);
  return first.named === undefined ? first : requestFields(raw, client, first.named);
}

/** The backend's response fields for the client: all but the hop-by-hop ones. */
export function forwardResponseHeaders(raw: readonly string[]): string[] {
  const first = responseFields(raw, undefined);
  return first.named === undefined ? first.headers : responseFields(raw, first.named).headers;
}

interface Fields {
  readonly headers: string[];
  readonly hasBody: boolean;
  /** Fields the Connection header names, when a first pass found some to leave out. */
  readonly named: ReadonlySet<string> | undefined;
}

function requestFields(
  raw: readonly string[],
  client: ClientConnection,
  skip: ReadonlySet<string> | undefined,
): Fields {
  const out: string[] = [];
  let named: Set<string> | undefined;
  let hasBody = false;
  let host: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (skip === undefined && !RULED_LENGTHS[name.length]) {
      out.push(name, value);
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding') hasBody = true;
    else if (lower === 'content-length') hasBody ||= value.trim() !== '0';
    else if (lower === 'connection' && skip === undefined) named = connectionTokens(value, named);
    if (HOP_BY_HOP.has(lower) || skip?.has(lower) === true) continue;
    if (FORWARDED.has(lower)) {
      if (lower === 'x-forwarded-for') forwardedFor = join(forwardedFor, value);
      else if (lower === 'x-forwarded-port') forwardedPort = join(forwardedPort, value);
      else if (lower === 'x-forwarded-proto') forwardedProto = join(forwardedProto, value);
      else forwardedHost ??= value;
      continue;
    }
    if (lower === 'host') host ??= value;
    out.push(name, value);
  }
  out.push(
    'X-Forwarded-For',
    join(forwardedFor, client.remoteAddress ?? ''),
    'X-Forwarded-Port',
    join(forwardedPort, portOf(host)),
    'X-Forwarded-Proto',
    join(forwardedProto, 'http'),
    'X-Forwarded-Host',
    forwardedHost ?? host ?? '',
  );
  return { headers: out, hasBody, named };
}

function responseFields(raw: readonly string[], skip: ReadonlySet<string> | undefined): Fields {
  const out: string[] = [];
  let named: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (skip === undefined && !RULED_LENGTHS[name.length]) {
      out.push(name, raw[i + 1]!);
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'connection' && skip === undefined) named = connectionTokens(raw[i + 1]!, named);
    if (HOP_BY_HOP.has(lower) || skip?.has(lower) === true) continue;
    out.push(name, raw[i + 1]!);
  }
  return { headers: out, hasBody: false, named };
}

/** Lengths of the names the rules above are about: any other name passes as it is. */
const RULED_LENGTHS: readonly boolean[] = (() => {
  const lengths: boolean[] = [];
  for (const name of [...HOP_BY_HOP, ...FORWARDED, 'host', 'content-length']) {
    lengths[name.length] = true;
  }
  return lengths;
})();

const PLAIN_CONNECTION: ReadonlySet<string> = new Set(['keep-alive', 'close']);

/** Fields a Connection header names are hop-by-hop too; usually it names none. */
function connectionTokens(value: string, tokens: Set<string> | undefined): Set<string> | undefined {
  // What nearly every client and backend sends, and names no field.
  if (value.length <= 10 && PLAIN_CONNECTION.has(value.toLowerCase())) return tokens;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || name === 'keep-alive' || name === 'close') continue;
    (tokens ??= new Set()).add(name);
  }
  return tokens;
}

function join(before: string | undefined, value: string): string {
  return before === undefined ? value : `${before},${value}`;
}

/** The port the client connected to, as its Host header says (80 when it names none). */
function portOf(host: string | undefined): string {
  const match = host === undefined ? null : /:(\d+)$/.exec(host);
  return match?.[1] ?? '80';
}
