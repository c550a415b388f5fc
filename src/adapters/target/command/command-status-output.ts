import { invalidInput } from '../../../core/errors/eclusa-error.js';
import type { InstanceState, TargetEndpoint, TargetInstance } from '../../../core/target/target.js';

const STATES: readonly InstanceState[] = ['running', 'stopped', 'failed', 'unknown'];
const SLOT = /^[a-z0-9][a-z0-9._-]*$/;
const VERSION = /^[^\s"'{}]+$/;

/**
 * Reads what a `status` script printed: one line per slot, either a JSON object
 * `{"slot":"blue","version":"1.4.0","state":"running","url":"http://127.0.0.1:8081"}`
 * (only `version` is required; slot defaults to `main`, state to `running`) or plain words
 * `VERSION` / `SLOT VERSION` / `SLOT VERSION STATE`. Empty lines and `#` comments are skipped;
 * empty output means nothing runs. See docs/targets.md.
 */
export function parseStatusOutput(
  stdout: string,
  component: string,
  environment: string,
  field: string,
): TargetInstance[] {
  const bySlot = new Map<string, TargetInstance>();
  stdout.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (why: string): never => {
      throw invalidInput(
        'TARGET_STATUS_UNREADABLE',
        `${field} printed a line eclusa cannot read (line ${index + 1}: ${why}): ${line.slice(0, 120)}`,
        {
          hint: 'print one line per slot: {"slot":"blue","version":"1.4.0","state":"running","url":"http://host:port"} or "blue 1.4.0"; send other output to stderr',
        },
      );
    };
    const fields = line.startsWith('{') ? jsonFields(line, fail) : wordFields(line, fail);
    const slot = fields.slot ?? 'main';
    if (!SLOT.test(slot)) fail(`slot "${slot}" is not a lowercase name`);
    if (fields.version === undefined || !VERSION.test(fields.version))
      fail('a version is required');
    const state = (fields.state ?? 'running') as InstanceState;
    if (!STATES.includes(state)) fail(`state must be one of ${STATES.join(', ')}`);
    const endpoint = fields.url === undefined ? undefined : endpointOf(fields.url, fail);
    bySlot.set(slot, {
      component,
      environment,
      slot,
      version: fields.version ?? '',
      state,
      ...(fields.digest === undefined ? {} : { digest: fields.digest }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(fields.pid === undefined ? {} : { pid: fields.pid }),
      ...(fields.startedAt === undefined ? {} : { startedAt: fields.startedAt }),
      ...(fields.reason === undefined ? {} : { reason: fields.reason }),
    });
  });
  return [...bySlot.values()];
}

interface StatusFields {
  slot?: string;
  version?: string;
  state?: string;
  digest?: string;
  url?: string;
  pid?: number;
  startedAt?: string;
  reason?: string;
}

function jsonFields(line: string, fail: (why: string) => never): StatusFields {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('not a JSON object');
  const record = value as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const item = record[name];
    if (item === undefined || item === null) return undefined;
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && name === 'version') return String(item);
    return fail(`"${name}" must be a string`);
  };
  const url =
    (text('url') || undefined) ??
    (typeof record['port'] === 'number'
      ? `http://${text('host') ?? '127.0.0.1'}:${record['port']}`
      : undefined);
  const pid = record['pid'];
  if (pid !== undefined && !(typeof pid === 'number' && Number.isInteger(pid) && pid > 0))
    fail('"pid" must be a positive integer');
  return {
    slot: text('slot'),
    version: text('version'),
    state: text('state'),
    digest: text('digest'),
    url,
    pid,
    startedAt: text('startedAt'),
    reason: text('reason'),
  };
}

function wordFields(line: string, fail: (why: string) => never): StatusFields {
  const words = line.split(/\s+/);
  if (words.length === 1) return { version: words[0] };
  if (words.length === 2 || words.length === 3)
    return { slot: words[0], version: words[1], state: words[2] };
  return fail('expected VERSION, SLOT VERSION or SLOT VERSION STATE');
}

function endpointOf(url: string, fail: (why: string) => never): TargetEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`"${url}" is not a URL`);
  }
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
}
