import { describe, expect, it } from 'vitest';
import { failureOf } from '../../../test/support/failure-of.js';
import { runVerification } from './run-verification.js';
import type { VerificationDocument } from './verification-context.js';
import type { VerificationTarget } from './verification.js';
import { fakeVerificationDeps, FakeCommandRunner, type FakeAnswer } from './verification-fakes.js';

const green: VerificationTarget = {
  url: 'http://127.0.0.1:41001/',
  release: '2.0.0',
  version: '2.0.0',
  environment: 'production',
  digests: { web: 'sha256:3f9a1b2c4d5e6f708192a3b4c5d6e7f8' },
};

const health: VerificationDocument = {
  type: 'http',
  url: '{url}/health',
  expect: { status: 200, json: { path: '$.status', equals: 'ok' } },
};

function answers(...list: FakeAnswer[]): () => FakeAnswer {
  let next = 0;
  return () => list[Math.min(next++, list.length - 1)] ?? { status: 500 };
}

describe('runVerification: http', () => {
  it('passes on a good answer and says what it saw, the {url} filled with the target’s base', async () => {
    const { deps, requests } = fakeVerificationDeps(
      answers({ status: 200, body: '{"status":"ok"}' }),
    );
    const result = await runVerification('health', health, green, deps);
    expect(result).toEqual({
      name: 'health',
      type: 'http',
      ok: true,
      attempts: 1,
      durationMs: 12,
      detail: '200 in 12 ms, $.status = "ok"',
      status: 200,
      output: '{"status":"ok"}',
    });
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://127.0.0.1:41001/health',
    ]);
  });

  it('retries at the interval until an attempt passes', async () => {
    const { deps, sleeps } = fakeVerificationDeps(
      answers({ status: 503 }, { status: 503 }, { status: 200, body: '{"status":"ok"}' }),
    );
    const result = await runVerification(
      'health',
      { ...health, retries: 3, interval: '5s' },
      green,
      deps,
    );
    expect(result).toMatchObject({ ok: true, attempts: 3, durationMs: 10_036 });
    expect(result.detail).toBe('200 in 12 ms, $.status = "ok" (3 attempts)');
    expect(sleeps).toEqual([5_000, 5_000]);
  });

  it('fails after the last retry with the last answer', async () => {
    const { deps } = fakeVerificationDeps(answers({ status: 503, body: '{"status":"fail"}' }));
    const result = await runVerification(
      'health',
      { ...health, retries: 2, interval: '1s' },
      green,
      deps,
    );
    expect(result).toMatchObject({ ok: false, attempts: 3, status: 503 });
    expect(result.detail).toBe('503 in 12 ms, expected 200 (3 attempts)');
  });

  it('stops retrying at the deadline', async () => {
    const { deps, sleeps } = fakeVerificationDeps(answers({ status: 503 }));
    const result = await runVerification(
      'health',
      { ...health, retries: 10, interval: '10s', timeout: '25s' },
      green,
      deps,
    );
    expect(result).toMatchObject({ ok: false, attempts: 3, durationMs: 25_000 });
    expect(sleeps).toEqual([10_000, 10_000, 4_964]);
  });

  it('ends an attempt that gets no answer at its deadline, saying so', async () => {
    const { deps } = fakeVerificationDeps(() => 'no-answer');
    const result = await runVerification('slow', { ...health, timeout: '3s' }, green, deps);
    expect(result).toMatchObject({ ok: false, attempts: 1, durationMs: 3_000 });
    expect(result.detail).toBe('no answer from GET http://127.0.0.1:41001/health within 3s');
  });

  it('waits at most 10 s for one HTTP attempt, so a retry still runs', async () => {
    const { deps } = fakeVerificationDeps(
      answers('no-answer', { status: 200, body: '{"status":"ok"}' }),
    );
    const result = await runVerification(
      'slow',
      { ...health, retries: 1, interval: '1s' },
      green,
      deps,
    );
    expect(result).toMatchObject({ ok: true, attempts: 2, durationMs: 11_012 });
  });

  it('reports a network error in words', async () => {
    const { deps } = fakeVerificationDeps(answers({ error: 'connection refused (ECONNREFUSED)' }));
    const result = await runVerification('health', health, green, deps);
    expect(result.detail).toBe(
      'GET http://127.0.0.1:41001/health failed: connection refused (ECONNREFUSED)',
    );
  });

  it('checks a list of statuses, body text and JSON values', async () => {
    const check = (expect: object): VerificationDocument => ({
      type: 'http',
      url: '{url}/x',
      expect,
    });
    const run = async (expectation: object, answer: FakeAnswer) =>
      (
        await runVerification(
          'x',
          check(expectation),
          green,
          fakeVerificationDeps(() => answer).deps,
        )
      ).detail;
    expect(await run({ status: [200, 204] }, { status: 204 })).toBe('204 in 12 ms');
    expect(await run({}, { status: 302 })).toBe('302 in 12 ms, expected a 2xx status');
    expect(await run({ bodyContains: 'hello' }, { status: 200, body: 'bye' })).toBe(
      '200 in 12 ms, but the body does not contain "hello"',
    );
    expect(
      await run({ json: { path: '$.a[0]', equals: 1 } }, { status: 200, body: '{"a":[2]}' }),
    ).toBe('200 in 12 ms, but $.a[0] is 2, expected 1');
    expect(await run({ json: { path: '$.b' } }, { status: 200, body: '{"a":1}' })).toBe(
      '200 in 12 ms, but $.b is missing',
    );
    expect(await run({ json: { path: '$.b' } }, { status: 200, body: '<html>' })).toBe(
      '200 in 12 ms, but the body is not JSON',
    );
  });

  it('sends headers and a body with secrets, and blanks the secrets from what it returns', async () => {
    const env = { API_KEY: 'key-0123456789' };
    const { deps, requests } = fakeVerificationDeps(
      answers({ status: 200, body: 'echo: key-0123456789' }),
      { env },
    );
    const result = await runVerification(
      'metrics',
      {
        type: 'http',
        method: 'POST',
        url: '{url}/metrics?key=${env:API_KEY}',
        headers: { authorization: 'Bearer ${env:API_KEY}' },
        body: '{"key":"${env:API_KEY}","version":"{version}"}',
      },
      green,
      deps,
    );
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:41001/metrics?key=key-0123456789',
      headers: { authorization: 'Bearer key-0123456789', 'content-type': 'application/json' },
      body: '{"key":"key-0123456789","version":"2.0.0"}',
    });
    expect(result.output).toBe('echo: [redacted]');
    expect(JSON.stringify(result)).not.toContain('key-0123456789');
  });

  it('logs in first, sends the token as a bearer or in the named header, and never shows it', async () => {
    const env = { SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: 'pw-correct-horse' };
    const reply = (request: { url: string }): FakeAnswer =>
      request.url.endsWith('/auth/login')
        ? { status: 200, body: '{"data":{"access_token":"tok-abcdef123456"}}' }
        : { status: 200, body: '{"me":"smoke","token":"tok-abcdef123456"}' };
    const login = {
      url: '{url}/auth/login',
      body: { email: '${env:SMOKE_EMAIL}', password: '${env:SMOKE_PASSWORD}' },
      tokenPath: '$.data.access_token',
    };
    const check: VerificationDocument = {
      type: 'http',
      url: '{url}/me',
      login,
      expect: { status: 200 },
    };

    const bearer = fakeVerificationDeps(reply, { env });
    const result = await runVerification('me', check, green, bearer.deps);
    expect(bearer.requests.map((request) => [request.method, request.url, request.body])).toEqual([
      [
        'POST',
        'http://127.0.0.1:41001/auth/login',
        '{"email":"smoke@example.com","password":"pw-correct-horse"}',
      ],
      ['GET', 'http://127.0.0.1:41001/me', undefined],
    ]);
    expect(bearer.requests[1]?.headers['authorization']).toBe('Bearer tok-abcdef123456');
    expect(result.ok).toBe(true);
    const shown = JSON.stringify(result);
    expect(shown).not.toContain('tok-abcdef123456');
    expect(shown).not.toContain('pw-correct-horse');

    const named = fakeVerificationDeps(reply, { env });
    await runVerification(
      'me',
      { ...check, login: { ...login, header: 'X-Auth-Token' } },
      green,
      named.deps,
    );
    expect(named.requests[1]?.headers).toMatchObject({ 'X-Auth-Token': 'tok-abcdef123456' });
  });

  it('fails with the login’s answer when the login is refused', async () => {
    const { deps, requests } = fakeVerificationDeps(answers({ status: 401 }), {
      env: { SMOKE_PASSWORD: 'pw-wrong-horse' },
    });
    const result = await runVerification(
      'me',
      {
        type: 'http',
        url: '{url}/me',
        login: {
          url: '{url}/auth/login',
          body: { password: '${env:SMOKE_PASSWORD}' },
          tokenPath: '$.token',
        },
      },
      green,
      deps,
    );
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(result.detail).toBe('login at POST http://127.0.0.1:41001/auth/login answered 401');
    expect(requests).toHaveLength(1);
  });

  it('refuses bad input before any request: a missing secret, {url} without a base, a bad JSON path', async () => {
    const { deps, requests } = fakeVerificationDeps(answers({ status: 200 }));
    const missing = await failureOf(
      runVerification(
        'h',
        { type: 'http', url: '{url}/', headers: { a: '${env:NOPE}' } },
        green,
        deps,
      ),
    );
    expect([missing.code, missing.message]).toEqual([
      'SECRET_MISSING',
      'environments.production.verify.h.headers.a: the secret env:NOPE is not set',
    ]);
    const noBase = await failureOf(
      runVerification('h', health, { ...green, url: undefined }, deps),
    );
    expect(noBase.code).toBe('VERIFY_NO_BASE_URL');
    const badPath = await failureOf(
      runVerification('h', { ...health, expect: { json: { path: 'status' } } }, green, deps),
    );
    expect(badPath.code).toBe('VERIFY_JSON_PATH');
    expect(requests).toEqual([]);
  });

  it('stops when the deployment is cancelled', async () => {
    const controller = new AbortController();
    const { deps } = fakeVerificationDeps(
      () => {
        controller.abort();
        return { status: 503 };
      },
      { signal: controller.signal },
    );
    const result = await runVerification('health', { ...health, retries: 5 }, green, deps);
    expect(result).toMatchObject({ ok: false, attempts: 1, detail: 'cancelled before it passed' });
  });
});

describe('runVerification: bundle', () => {
  const page =
    (body: string) =>
    (request: { url: string }): FakeAnswer =>
      request.url.endsWith('/')
        ? { status: 200, body }
        : { status: 200, body: assets[request.url] ?? '' };
  const assets: Record<string, string> = {
    'http://127.0.0.1:41001/assets/index-a1b2.js': 'console.log("build 3f9a1b2c4d5e")',
    'http://127.0.0.1:41001/assets/old.js': 'console.log("1.9.0")',
  };
  const bundle: VerificationDocument = { type: 'bundle', url: '{url}/', component: 'web' };

  it('passes when an asset the page references is named for the version', async () => {
    const { deps } = fakeVerificationDeps(
      page('<script type="module" src="/assets/app-2.0.0.js"></script>'),
    );
    const result = await runVerification('bundle', bundle, green, deps);
    expect(result).toMatchObject({
      ok: true,
      detail: 'the page references /assets/app-2.0.0.js (version 2.0.0)',
    });
  });

  it('looks inside the assets for the digest when no name carries it', async () => {
    const { deps, requests } = fakeVerificationDeps(
      page(
        '<link rel="stylesheet" href="/assets/old.js"><script src="assets/index-a1b2.js"></script>',
      ),
    );
    const result = await runVerification('bundle', bundle, green, deps);
    expect(result).toMatchObject({
      ok: true,
      detail: 'assets/index-a1b2.js contains digest 3f9a1b2c4d5e',
    });
    expect(requests.map((request) => request.url)).toEqual([
      'http://127.0.0.1:41001/',
      'http://127.0.0.1:41001/assets/old.js',
      'http://127.0.0.1:41001/assets/index-a1b2.js',
    ]);
  });

  it('fails naming what the page references when none is the new bundle', async () => {
    const { deps } = fakeVerificationDeps(page('<script src="/assets/old.js"></script>'));
    const result = await runVerification('bundle', bundle, green, deps);
    expect(result).toMatchObject({ ok: false, status: 200 });
    expect(result.detail).toBe(
      'the page references 1 asset(s) (/assets/old.js) and none names or contains version 2.0.0 or digest 3f9a1b2c4d5e',
    );
  });
});

describe('runVerification: command', () => {
  it('runs the command with placeholders and variables and passes on exit 0', async () => {
    const runner = new FakeCommandRunner([{ exitCode: 0, tail: ['12 passed'], durationMs: 1_500 }]);
    const { deps } = fakeVerificationDeps(answers(), {
      commands: runner,
      env: { PASS: 'smoke-pass-1234' },
    });
    const result = await runVerification(
      'smoke',
      {
        type: 'command',
        run: 'newman run smoke.json --env-var baseUrl={url}',
        cwd: 'tests',
        env: { PASSWORD: '${env:PASS}' },
      },
      green,
      deps,
    );
    expect(result).toMatchObject({
      ok: true,
      status: 0,
      detail: 'exit 0 in 1s500ms',
      output: '12 passed',
    });
    expect(runner.requests[0]).toMatchObject({
      command: "newman run smoke.json --env-var baseUrl='http://127.0.0.1:41001'",
      cwd: '/srv/app/tests',
      env: {
        PATH: '/usr/bin',
        PASSWORD: 'smoke-pass-1234',
        ECLUSA_URL: 'http://127.0.0.1:41001',
        ECLUSA_VERSION: '2.0.0',
        ECLUSA_ENVIRONMENT: 'production',
      },
    });
    expect(runner.requests[0]?.env['ECLUSA_TOKEN']).toBeUndefined();
  });

  it('fails with the exit code and the last line of output, secrets blanked', async () => {
    const runner = new FakeCommandRunner([
      {
        exitCode: 1,
        tail: ['login as smoke-pass-1234', 'FAIL checkout (expected 200, got 500)', ''],
      },
    ]);
    const { deps } = fakeVerificationDeps(answers(), {
      commands: runner,
      env: { PASS: 'smoke-pass-1234' },
    });
    const result = await runVerification(
      'smoke',
      { type: 'command', run: './smoke.sh', env: { PASSWORD: '${env:PASS}' } },
      green,
      deps,
    );
    expect(result).toMatchObject({
      ok: false,
      status: 1,
      detail: 'exit 1 after 1s: FAIL checkout (expected 200, got 500)',
    });
    expect(result.output).toContain('login as [redacted]');
  });

  it('says the process group was killed when the command ran out of time', async () => {
    const runner = new FakeCommandRunner([
      { exitCode: null, signal: 'SIGTERM', timedOut: true, tail: ['waiting'] },
    ]);
    const { deps } = fakeVerificationDeps(answers(), { commands: runner });
    const result = await runVerification(
      'smoke',
      { type: 'command', run: './smoke.sh', timeout: '2m' },
      green,
      deps,
    );
    expect(result.detail).toBe('did not finish within 2m; its process group was killed: waiting');
    expect(runner.requests[0]?.timeoutMs).toBe(120_000);
  });
});
