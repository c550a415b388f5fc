import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { sampleAppComponent } from './sample-app-component.js';
import { stopEnvironments } from './stop-environments.js';

const BIN = new URL('../../bin/eclusa.js', import.meta.url).pathname;

export type CanaryRouter = 'builtin' | 'haproxy';

export interface CanarySettings {
  readonly router: CanaryRouter;
  /** How long the analysis runs at 10 % and at 50 %, e.g. `6s`. */
  readonly windows: readonly [string, string];
  /** The analysis interval, e.g. `1s`. */
  readonly interval: string;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A throwaway project on this machine: an eclusa.yaml whose production environment runs
 * the bundled sample app under the process target behind a `builtin` or managed `haproxy`
 * router, with a canary 10 % → 50 % → 100 % judged by metrics at each step (scrape for
 * builtin, HAProxy's own counters for haproxy), and automatic rollback. Needs `npm run build`.
 */
export interface CanaryEnvironment {
  readonly dir: string;
  readonly router: CanaryRouter;
  /** Where clients connect (the router). */
  readonly url: string;
  /** Writes releases/<version>.env and runs `eclusa release create`. */
  release(version: string, appEnv: Record<string, string>): Promise<void>;
  /** `eclusa deploy --wait --json`; resolves when the deployment has ended. */
  deploy(version: string): Promise<CliRun>;
  /** The canary's own address (from `eclusa status --json`), once it runs. */
  endpointOf(version: string): Promise<string | undefined>;
  cli(argv: readonly string[]): Promise<CliRun>;
  /** Stops every process the deployments started and removes the directory. */
  close(): Promise<void>;
}

/** The policy; exported so a test can check it is a valid eclusa.yaml. */
export function canaryPolicy(settings: CanarySettings, port: number): string {
  const router =
    settings.router === 'builtin'
      ? `{ type: builtin, listen: ${port} }`
      : `{ type: haproxy, manage: true, listen: ${port} }`;
  const source = settings.router === 'builtin' ? 'scrape' : 'haproxy';
  return `version: 1
project: { name: shop, owners: [ana] }
components:
${sampleAppComponent('20s')}
analyses:
  canary-health:
    description: the canary's 5xx, on its own and against the stable version
    source: ${source}
    interval: ${settings.interval}
    minRequests: 50
    conditions:
      - { metric: error_rate, failWhen: '> 10%' }
    compare: { metrics: [error_rate], maxDegradation: 0.2, alpha: 0.01 }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      analysis: canary-health
      keepPrevious: 0s
      steps:
        - { weight: 10, pause: ${settings.windows[0]} }
        - { weight: 50, pause: ${settings.windows[1]} }
        - { weight: 100 }
    router: ${router}
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
`;
}

export async function createCanaryEnvironment(
  settings: CanarySettings,
): Promise<CanaryEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), `eclusa-canary-${settings.router}-`));
  const port = await freePort();
  mkdirSync(join(dir, 'releases'));
  writeFileSync(join(dir, 'eclusa.yaml'), canaryPolicy(settings, port));
  const env = {
    PATH: process.env['PATH'],
    ECLUSA_HOME: join(dir, '.eclusa'),
    ECLUSA_ACTOR: 'carla',
  };
  const cli = (argv: readonly string[]): Promise<CliRun> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...argv], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  return {
    dir,
    router: settings.router,
    url: `http://127.0.0.1:${port}`,
    cli,
    async release(version, appEnv) {
      const lines = Object.entries({ APP_VERSION: version, ...appEnv }).map(
        ([name, value]) => `${name}=${value}`,
      );
      writeFileSync(join(dir, 'releases', `${version}.env`), `${lines.join('\n')}\n`);
      const digest = createHash('sha256').update(version).digest('hex');
      const created = await cli([
        'release',
        'create',
        '--version',
        version,
        '--commit',
        'abcdef1',
        '--artifact',
        `api=ghcr.io/shop/api@sha256:${digest}`,
      ]);
      if (created.code !== 0)
        throw new Error(`release create ${version} exited ${created.code}: ${created.stderr}`);
    },
    deploy: (version) =>
      cli(['deploy', '--release', version, '--env', 'production', '--wait', '--json']),
    async endpointOf(version) {
      const status = await cli(['status', '--env', 'production', '--json']);
      if (status.code !== 0) return undefined;
      const parsed = JSON.parse(status.stdout) as {
        environments: {
          components: Record<
            string,
            {
              slots: Record<string, { version: string; endpoint?: { host: string; port: number } }>;
            }
          >;
        }[];
      };
      const slots = parsed.environments[0]?.components['api']?.slots ?? {};
      const endpoint = Object.values(slots).find((s) => s.version === version)?.endpoint;
      return endpoint ? `http://${endpoint.host}:${endpoint.port}` : undefined;
    },
    async close() {
      await stopEnvironments(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
