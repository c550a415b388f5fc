import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretResolver } from '../../../core/secrets/secret-resolver.js';
import { systemClock } from '../../../core/time/clock.js';
import { runVerification } from '../../../core/verify/run-verification.js';
import type { VerificationDeps } from '../../../core/verify/verification-context.js';
import { FetchHttpClient } from '../../verify/http/fetch-http-client.js';
import { systemSleep } from '../../verify/system-timers.js';
import { isProcessAlive } from '../../os/process-table.js';
import { ShellCommandRunner } from './shell-command-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'eclusa-command-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deps: VerificationDeps = {
  http: new FetchHttpClient(),
  commands: new ShellCommandRunner({ killGraceMs: 500 }),
  secrets: new SecretResolver({
    env: (name) => (name === 'SMOKE_TOKEN' ? 'smoke-tok-4242' : undefined),
    file: () => undefined,
  }),
  clock: systemClock,
  sleep: systemSleep,
  baseDir: dir,
  env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
};
const target = {
  url: 'http://127.0.0.1:9',
  release: '2.0.0',
  version: '2.0.0',
  environment: 'staging',
  digests: {},
};

describe('command verification with real processes', () => {
  it('passes on exit 0 and keeps the output', async () => {
    const result = await runVerification(
      'smoke',
      { type: 'command', run: 'echo "smoke against $ECLUSA_URL"; test "$ECLUSA_VERSION" = 2.0.0' },
      target,
      deps,
    );
    expect(result).toMatchObject({
      ok: true,
      status: 0,
      output: 'smoke against http://127.0.0.1:9',
    });
    expect(result.detail).toMatch(/^exit 0 in /);
  });

  it('fails with the exit code and last line, secrets blanked, after its retries', async () => {
    const result = await runVerification(
      'smoke',
      {
        type: 'command',
        run: 'echo "token $TOKEN"; echo "FAIL checkout" >&2; exit 2',
        env: { TOKEN: '${env:SMOKE_TOKEN}' },
        retries: 1,
        interval: '50ms',
      },
      target,
      deps,
    );
    expect(result).toMatchObject({ ok: false, status: 2, attempts: 2 });
    expect(result.detail).toMatch(/^exit 2 after \S+: FAIL checkout \(2 attempts\)$/);
    expect(result.output).toContain('token [redacted]');
    expect(JSON.stringify(result)).not.toContain('smoke-tok-4242');
  });

  it('kills the process group of a command that hangs past its timeout', async () => {
    const result = await runVerification(
      'smoke',
      { type: 'command', run: 'sleep 300 & echo "child $!"; sleep 300', timeout: '1s' },
      target,
      deps,
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^did not finish within 1s; its process group was killed: child \d+$/,
    );
    const child = Number(/child (\d+)/.exec(result.output ?? '')?.[1]);
    expect(isProcessAlive(child)).toBe(false);
  });
});
