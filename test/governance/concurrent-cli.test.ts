import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';

const BIN = new URL('../../bin/eclusa.js', import.meta.url).pathname;
const POLICY = new URL('../../examples/core-hub/eclusa.yaml', import.meta.url).pathname;

/** Runs `count` check reports one after another in a child shell; resolves with its exit code. */
function writer(home: string, name: string, count: number): Promise<number> {
  const script = `for i in $(seq 1 ${count}); do node "${BIN}" check report --release 1.0.0 --check unit --status pass --value $i >/dev/null || exit 1; done`;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      env: {
        PATH: process.env['PATH'],
        ECLUSA_HOME: home,
        ECLUSA_POLICY: POLICY,
        ECLUSA_ACTOR: name,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

describe('several eclusa processes writing to one store at once', () => {
  it('lose no write and keep the audit chain intact', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eclusa-concurrent-'));
    const env = { ECLUSA_HOME: home, ECLUSA_POLICY: POLICY, ECLUSA_ACTOR: 'ci' };
    const digest = `sha256:${'1'.repeat(64)}`;
    const created = runBin(
      [
        'release',
        'create',
        '--version',
        '1.0.0',
        '--commit',
        'a'.repeat(40),
        '--artifact',
        `api=ghcr.io/core-hub/api:1.0.0@${digest}`,
        '--artifact',
        `worker=ghcr.io/core-hub/worker:1.0.0@${digest}`,
        '--artifact',
        `frontend=ghcr.io/core-hub/frontend:1.0.0@${digest}`,
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);

    const PROCESSES = 4;
    const EACH = 8;
    const codes = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => writer(home, `writer-${i}`, EACH)),
    );
    expect(codes).toEqual(Array.from({ length: PROCESSES }, () => 0));

    const log = runBin(['audit', 'log', '--json'], { env });
    const events = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; kind: string });
    expect(events.filter((e) => e.kind === 'check.reported')).toHaveLength(PROCESSES * EACH);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const verified = runBin(['audit', 'verify', '--json'], { env });
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      events: events.length,
      firstBad: null,
    });
  }, 180_000);
});
