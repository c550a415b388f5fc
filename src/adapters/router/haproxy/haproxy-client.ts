import { createConnection } from 'node:net';
import { EclusaError } from '../../../core/errors/eclusa-error.js';

/** One server line of `show servers state` (format version 1). */
export interface ServerState {
  readonly backend: string;
  readonly name: string;
  readonly addr: string;
  readonly port: number;
  /** 0 stopped, 1 starting, 2 running, 3 stopping. */
  readonly opState: number;
  /** Bit mask: 0x01 forced maintenance, 0x04 maintenance from the configuration, 0x08 drain. */
  readonly adminState: number;
  readonly weight: number;
}

/** Per-server counters from `show stat`. */
export interface ServerStat {
  readonly backend: string;
  readonly name: string;
  readonly requests: number;
  readonly errors5xx: number;
}

const CONNECTION_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EACCES']);

/**
 * HAProxy's runtime API on its admin socket: one connection per call, commands joined by
 * ";" so a batch reaches HAProxy in one read and is applied back to back.
 */
export class HaproxyClient {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Sends commands (already escaped) and returns HAProxy's whole answer. */
  run(commands: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.socketPath);
      const chunks: Buffer[] = [];
      socket.setTimeout(this.timeoutMs, () =>
        socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      );
      socket.on('connect', () => socket.end(`${commands.join('; ')}\n`));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          CONNECTION_ERRORS.has(error.code ?? '') || error.code === 'ETIMEDOUT'
            ? new EclusaError(
                'failed',
                'HAPROXY_SOCKET_GONE',
                `HAProxy's admin socket ${this.socketPath} does not answer (${error.code})`,
                {
                  hint: 'is haproxy running with "stats socket <path> level admin"? traffic stays as it was',
                  retryable: true,
                  cause: error,
                },
              )
            : error,
        );
      });
    });
  }

  async serversState(backend: string): Promise<ServerState[]> {
    const text = await this.run([`show servers state ${backend}`]);
    if (!text.startsWith('1\n')) {
      throw new EclusaError('failed', 'HAPROXY_NO_BACKEND', `HAProxy: ${text.trim()}`, {
        hint: `does the running configuration have a backend named "${backend}"?`,
      });
    }
    return parseServersState(text);
  }

  async stats(): Promise<ServerStat[]> {
    return parseStat(await this.run(['show stat']));
  }

  /** Key → value of a map file loaded by the running HAProxy. */
  async map(path: string): Promise<Map<string, string>> {
    const text = await this.run([`show map ${path}`]);
    if (/^Unknown map identifier/m.test(text)) {
      throw new EclusaError('invalid-input', 'HAPROXY_NO_MAP', `HAProxy has no map ${path}`, {
        hint: 'the frontend must use the maintenance map (see docs/routers.md), then reload HAProxy',
      });
    }
    return parseMap(text);
  }
}

/** Parses `show servers state`: a version line, a header, then one line per server. */
export function parseServersState(text: string): ServerState[] {
  const lines = text.split('\n');
  const header = lines.find((line) => line.startsWith('# be_id'));
  if (header === undefined) return [];
  const columns = header.slice(2).split(' ');
  const at = (name: string) => columns.indexOf(name);
  return lines
    .filter((line) => line !== '' && !line.startsWith('#') && line !== '1')
    .map((line) => {
      const fields = line.split(' ');
      const field = (name: string) => fields[at(name)] ?? '';
      return {
        backend: field('be_name'),
        name: field('srv_name'),
        addr: field('srv_addr'),
        port: Number(field('srv_port')),
        opState: Number(field('srv_op_state')),
        adminState: Number(field('srv_admin_state')),
        weight: Number(field('srv_uweight')),
      };
    });
}

/** Parses `show stat` CSV, keeping server lines only. */
export function parseStat(text: string): ServerStat[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const header = lines[0];
  if (header === undefined || !header.startsWith('# ')) return [];
  const columns = header.slice(2).split(',');
  const at = (name: string) => columns.indexOf(name);
  return lines.slice(1).flatMap((line) => {
    const fields = line.split(',');
    const name = fields[at('svname')] ?? '';
    if (name === 'FRONTEND' || name === 'BACKEND' || name === '') return [];
    return [
      {
        backend: fields[at('pxname')] ?? '',
        name,
        requests: Number(fields[at('stot')] ?? 0) || 0,
        errors5xx: Number(fields[at('hrsp_5xx')] ?? 0) || 0,
      },
    ];
  });
}

/** Parses `show map <file>`: "<ref> <key> <value>" per line. */
export function parseMap(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^0x[0-9a-f]+ (\S+) (.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) entries.set(match[1], match[2]);
  }
  return entries;
}

/** Escapes one argument of the CLI, whose parser splits on spaces and ";" and knows no quotes. */
export function cliArgument(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\ ;])/g, '\\$1');
}
