import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretResolver } from '../../../core/secrets/secret-resolver.js';
import type { TargetInstance } from '../../../core/target/target.js';
import { FakeClock } from '../../../core/time/clock.js';
import { processSecretSource } from '../../secrets/process-secret-source.js';
import type { CommandTargetConfig } from '../target-config.js';
import { describeTargetContract, type TargetScenario } from '../target-contract.case.js';
import { CommandTarget } from './command-target.js';
import { failureOf } from '../../../../test/support/failure-of.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const APP = fileURLToPath(new URL('../../../../examples/sample-app/server.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'eclusa-command-target-'));
const hangPidFile = join(root, 'hang.pid');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FAULTS: Record<TargetScenario, Record<string, string>> = {
  healthy: {},
  'failing-health': { FAULT_HEALTH: 'fail' },
  'crash-at-start': { FAULT_CRASH_AT_START: '1' },
  hanging: {},
};

function commandTarget(
  config: Omit<CommandTargetConfig, 'type'>,
  env: NodeJS.ProcessEnv = process.env,
) {
  return new CommandTarget({
    config: { type: 'command', ...config },
    component: 'api',
    policyDir: FIXTURES,
    secrets: new SecretResolver(processSecretSource(env)),
    env,
    clock: new FakeClock('2026-11-23T12:00:00Z'),
  });
}

describeTargetContract('command', () => ({
  hangPidFile,
  make: (scenario) =>
    commandTarget({
      deploy: scenario === 'hanging' ? 'sh hang.sh' : 'sh deploy.sh {slot} {version}',
      stop: 'sh stop.sh {slot}',
      status: 'sh status.sh',
      env: { STATE_DIR: join(root, 'state'), APP, HANG_PID_FILE: hangPidFile, ...FAULTS[scenario] },
      timeout: scenario === 'hanging' ? '1s' : '60s',
    }),
}));

describe('CommandTarget', () => {
  const slot = { component: 'api', environment: 'staging', slot: 'green' };
  const start = {
    ...slot,
    release: '2.0.0',
    version: '2.0.0',
    digest: 'sha256:abc',
    artifact: 'ghcr.io/acme/api@sha256:abc',
  };

  it('fills placeholders shell-quoted and sets ECLUSA_* variables for the script', async () => {
    const lines: string[] = [];
    const target = commandTarget({
      deploy:
        'printf "%s|" {component} {environment} {slot} {version} {digest} {artifact} {release}; echo "$ECLUSA_SLOT $ECLUSA_VERSION $ECLUSA_DIGEST"',
    });
    const instance = await target.start({
      ...start,
      version: "2.0.0'; echo pwned; '",
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual([
      "api|staging|green|2.0.0'; echo pwned; '|sha256:abc|ghcr.io/acme/api@sha256:abc|2.0.0|green 2.0.0'; echo pwned; ' sha256:abc",
    ]);
    // Without a status script eclusa cannot look: it reports what it deployed.
    expect(instance).toMatchObject({
      slot: 'green',
      state: 'running',
      startedAt: '2026-11-23T12:00:00.000Z',
    });
  });

  it('redacts secrets from every line it logs and from its errors', async () => {
    const env = { ...process.env, DEPLOY_TOKEN: 'tok-9f8e7d6c5b' };
    const lines: string[] = [];
    const target = commandTarget(
      {
        deploy: 'echo "using $TOKEN"; echo "token=$TOKEN" >&2; exit 4',
        env: { TOKEN: '${env:DEPLOY_TOKEN}' },
      },
      env,
    );
    const failure = await failureOf(target.start({ ...start, log: (line) => lines.push(line) }));
    expect(failure.code).toBe('TARGET_COMMAND_FAILED');
    expect(failure.message).toContain('components.api.target.deploy exited 4');
    const everything = JSON.stringify([lines, failure.message, failure.details]);
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain('tok-9f8e7d6c5b');
  });

  it('does not hand eclusa’s own ECLUSA_* variables to scripts', async () => {
    const lines: string[] = [];
    const target = commandTarget(
      { deploy: 'echo "[$ECLUSA_TOKEN][$ECLUSA_DATABASE_URL][$ECLUSA_COMPONENT]"' },
      {
        ...process.env,
        ECLUSA_TOKEN: 'server-token',
        ECLUSA_DATABASE_URL: 'postgres://u:p@h/db',
      },
    );
    await target.start({ ...start, log: (line) => lines.push(line) });
    expect(lines).toEqual(['[][][api]']);
  });

  it('runs nothing when status already shows the version in the slot', async () => {
    const target = commandTarget({
      deploy: 'echo deployed; exit 9',
      status: `echo '{"slot":"green","version":"2.0.0","digest":"sha256:abc","url":"http://127.0.0.1:8082"}'; echo 'blue 1.0.0'`,
    });
    const instance = await target.start(start);
    expect(instance).toMatchObject({
      version: '2.0.0',
      state: 'running',
      endpoint: { host: '127.0.0.1', port: 8082 },
    });
    expect(
      (await target.status('api', 'staging')).map((i: TargetInstance) => `${i.slot}=${i.version}`),
    ).toEqual(['green=2.0.0', 'blue=1.0.0']);
  });

  it('fails a deploy that exits 0 while status does not show the new version', async () => {
    const target = commandTarget({ deploy: 'true', status: 'echo "green 1.9.0"' });
    await expect(target.start(start)).rejects.toMatchObject({ code: 'TARGET_NOT_RUNNING' });
  });

  it('says so when there is no stop script, and runs the stop script with the slot', async () => {
    const lines: string[] = [];
    await commandTarget({ deploy: 'true' }).stop({ ...slot, log: (line) => lines.push(line) });
    expect(lines).toEqual(['components.api.target.stop is not set: nothing stops slot green']);
    const stopped: string[] = [];
    await commandTarget({ deploy: 'true', stop: 'echo stop {slot} $ECLUSA_ENVIRONMENT' }).stop({
      ...slot,
      log: (line) => stopped.push(line),
    });
    expect(stopped).toEqual(['stop green staging']);
  });

  it('refuses a status script whose output it cannot read, naming the line', async () => {
    const target = commandTarget({ deploy: 'true', status: 'echo "Creating network default"' });
    const failure = await failureOf(target.status('api', 'staging'));
    expect(failure.code).toBe('TARGET_STATUS_UNREADABLE');
    expect(failure.message).toContain('Creating network default');
  });
});
