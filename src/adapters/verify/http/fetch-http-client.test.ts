import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretResolver } from '../../../core/secrets/secret-resolver.js';
import { systemClock } from '../../../core/time/clock.js';
import { runVerification } from '../../../core/verify/run-verification.js';
import type {
  VerificationDeps,
  VerificationDocument,
} from '../../../core/verify/verification-context.js';
import type { VerificationTarget } from '../../../core/verify/verification.js';
import { ShellCommandRunner } from '../../command/shell/shell-command-runner.js';
import { findFreePort } from '../../os/tcp-port.js';
import { systemSleep } from '../system-timers.js';
import { FetchHttpClient } from './fetch-http-client.js';
import { startLoginServer, type LoginServer } from './fixtures/login-server.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SECRETS = { SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: 'pw-correct-horse-77' };
const TOKEN = 'tok-live-5e6f7a8b9c';
const DIGEST = 'sha256:3f9a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c';

/** Starts the sample app with PORT=0 and resolves with its URL once it prints it. */
function startSampleApp(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/sample-app/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', APP_VERSION: '2.0.0', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url !== undefined) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`the sample app exited with ${code}`)));
  });
}

function deps(): VerificationDeps {
  return {
    http: new FetchHttpClient(),
    commands: new ShellCommandRunner(),
    secrets: new SecretResolver({
      env: (name) => SECRETS[name as keyof typeof SECRETS],
      file: () => undefined,
    }),
    clock: systemClock,
    sleep: systemSleep,
    baseDir: ROOT,
  };
}

const target = (url: string): VerificationTarget => ({
  url,
  release: '2.0.0',
  version: '2.0.0',
  environment: 'staging',
  digests: { web: DIGEST },
});

describe('HTTP verification against real servers', () => {
  const apps: ChildProcess[] = [];
  let healthy = '';
  let unhealthy = '';
  let fixture: LoginServer;

  beforeAll(async () => {
    const [good, bad] = await Promise.all([
      startSampleApp({}),
      startSampleApp({ FAULT_HEALTH: 'fail' }),
    ]);
    apps.push(good.child, bad.child);
    healthy = good.url;
    unhealthy = bad.url;
    fixture = await startLoginServer({
      email: SECRETS.SMOKE_EMAIL,
      password: SECRETS.SMOKE_PASSWORD,
      token: TOKEN,
      page: '<html><head><script type="module" src="/assets/index-a1b2c3.js"></script></head></html>',
      assets: { 'index-a1b2c3.js': `const build = "${DIGEST.slice(7, 19)}";` },
    });
  });
  afterAll(async () => {
    for (const app of apps) app.kill('SIGKILL');
    await fixture.close();
  });

  const health: VerificationDocument = {
    type: 'http',
    url: '{url}/health',
    expect: { status: 200, json: { path: '$.status', equals: 'ok' } },
  };

  it('passes against the sample app, through the {url} of the target', async () => {
    const result = await runVerification('health', health, target(healthy), deps());
    expect(result).toMatchObject({ ok: true, attempts: 1, status: 200 });
    expect(result.detail).toMatch(/^200 in \d+ ms, \$\.status = "ok"$/);
  });

  it('retries a failing health check and fails with its last answer', async () => {
    const result = await runVerification(
      'health',
      { ...health, retries: 2, interval: '100ms' },
      target(unhealthy),
      deps(),
    );
    expect(result).toMatchObject({ ok: false, attempts: 3, status: 503 });
    expect(result.detail).toMatch(/^503 in \d+ ms, expected 200 \(3 attempts\)$/);
    expect(result.output).toBe('{"status":"fail","version":"2.0.0"}');
  });

  it('ends a URL that never answers at the deadline, saying so', async () => {
    const result = await runVerification(
      'never',
      { type: 'http', url: '{url}/never', timeout: '1s', retries: 3, interval: '200ms' },
      target(fixture.url),
      deps(),
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toBe(`no answer from GET ${fixture.url}/never within 1s`);
  });

  it('says the connection was refused when nothing listens', async () => {
    const port = await findFreePort();
    const result = await runVerification(
      'down',
      health,
      target(`http://127.0.0.1:${port}`),
      deps(),
    );
    expect(result.detail).toBe(
      `GET http://127.0.0.1:${port}/health failed: connection refused (ECONNREFUSED)`,
    );
  });

  it('logs in with secret credentials, uses the token, and shows neither', async () => {
    const check: VerificationDocument = {
      type: 'http',
      url: '{url}/me',
      login: {
        url: '{url}/auth/login',
        body: { email: '${env:SMOKE_EMAIL}', password: '${env:SMOKE_PASSWORD}' },
        tokenPath: '$.data.access_token',
      },
      expect: { status: 200, json: { path: '$.plan', equals: 'pro' } },
    };
    const result = await runVerification('me', check, target(fixture.url), deps());
    expect(result).toMatchObject({ ok: true, status: 200 });
    const named = await runVerification(
      'me',
      { ...check, login: { ...check.login!, header: 'X-Auth-Token' } },
      target(fixture.url),
      deps(),
    );
    expect(named.ok).toBe(true);
    for (const shown of [JSON.stringify(result), JSON.stringify(named)]) {
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain(SECRETS.SMOKE_PASSWORD);
    }
  });

  it('fails when the login is refused', async () => {
    const result = await runVerification(
      'me',
      {
        type: 'http',
        url: '{url}/me',
        login: {
          url: '{url}/auth/login',
          body: { email: 'nobody@example.com' },
          tokenPath: '$.data.access_token',
        },
      },
      target(fixture.url),
      deps(),
    );
    expect(result.detail).toBe(`login at POST ${fixture.url}/auth/login answered 401`);
  });

  it('finds the new bundle inside the asset the page references', async () => {
    const bundle: VerificationDocument = { type: 'bundle', url: '{url}/', component: 'web' };
    const result = await runVerification('bundle', bundle, target(fixture.url), deps());
    expect(result).toMatchObject({
      ok: true,
      detail: '/assets/index-a1b2c3.js contains digest 3f9a1b2c4d5e',
    });
    const other = await runVerification(
      'bundle',
      bundle,
      { ...target(fixture.url), digests: {}, version: '3.0.0' },
      deps(),
    );
    expect(other.ok).toBe(false);
    expect(other.detail).toContain('none names or contains version 3.0.0');
  });

  it('reads a body only up to its bound', async () => {
    const response = await new FetchHttpClient().request({
      method: 'GET',
      url: `${fixture.url}/assets/index-a1b2c3.js`,
      headers: {},
      signal: AbortSignal.timeout(5_000),
      maxBodyBytes: 10,
    });
    expect(response).toEqual({ status: 200, body: 'const buil', truncated: true });
  });
});
