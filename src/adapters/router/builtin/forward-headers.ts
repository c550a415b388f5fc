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

/**
 * The header list of the request sent on to a backend, in the flat form of `rawHeaders`
 * (names keep their case, repeated fields stay repeated): the client's fields without the
 * hop-by-hop ones, and X-Forwarded-For/-Port/-Proto appended to, X-Forwarded-Host kept or
 * set from Host — what the backend needs to know who asked and how.
 */
export function forwardRequestHeaders(raw: readonly string[], client: ClientConnection): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  let host: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedPort: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower) === true) continue;
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
  return out;
}

/** The backend's response fields for the client: all but the hop-by-hop ones. */
export function forwardResponseHeaders(raw: readonly string[]): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named?.has(lower) === true) continue;
    out.push(name, raw[i + 1]!);
  }
  return out;
}

/** Fields a Connection header names are hop-by-hop too; usually it names none. */
function connectionTokens(raw: readonly string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name === '' || name === 'keep-alive' || name === 'close') continue;
      (tokens ??= new Set()).add(name);
    }
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
