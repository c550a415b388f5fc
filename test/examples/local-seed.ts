import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';
import { runBin, type CliResult } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';
import { get } from '../support/http-client.js';
import { stopEnvironments } from '../support/stop-environments.js';

const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'eclusa.js');

/** One step of `eclusa deployment show --json`. */
export interface ShownStep {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly status: string;
  readonly phase: string;
  /** Why a running step waits, e.g. the command that confirms its checklist. */
  readonly waiting?: string;
  readonly error?: string;
}

export interface ShownDeployment {
  readonly id: string;
  readonly status: string;
  readonly steps: readonly ShownStep[];
}

/**
 * A seed example run with its local profile, as a person would from the repository: the
 * example folder copied into a throwaway `examples/<seed>/` beside a link to the built
 * `dist/`, so the profile's `../../dist/sample-app.cjs` resolves; `ECLUSA_HOME` inside it.
 */
export interface LocalSeed {
  readonly dir: string;
  readonly home: string;
  /** Router URL of each environment, from the profile (with its port made free). */
  readonly routers: Readonly<Record<string, string>>;
  /** The built CLI as `actor`, waiting for it to end. */
  readonly run: (actor: string, ...args: string[]) => CliResult;
  /** The built CLI as `actor`, without blocking this process (a deploy --wait beside other commands). */
  readonly start: (actor: string, ...args: string[]) => Promise<CliResult>;
  /** `deployment show ID --json` of the environment's active deployment, once there is one. */
  readonly active: (environment: string) => Promise<ShownDeployment | undefined>;
  /** Stops every process the deployments started, and removes the folder. */
  readonly close: () => Promise<void>;
}

/**
 * Copies examples/<seed> and gives each router of its local profile a port free right now
 * (the profile's fixed ports are for a person; parallel test files must not share them).
 */
export async function localSeed(
  seed: string,
  env: Readonly<Record<string, string>> = {},
): Promise<LocalSeed> {
  const root = mkdtempSync(join(tmpdir(), `eclusa-${seed}-local-`));
  const dir = join(root, 'examples', seed);
  const home = join(root, '.eclusa');
  cpSync(join(REPO, 'examples', seed), dir, { recursive: true });
  symlinkSync(join(REPO, 'dist'), join(root, 'dist'));
  const overlay = join(dir, 'eclusa.local.yaml');
  let text = readFileSync(overlay, 'utf8');
  for (const match of text.match(/listen: \d+/g) ?? [])
    text = text.replace(match, `listen: ${await freePort()}`);
  writeFileSync(overlay, text);

  const loaded = await loadPolicyFile(join(dir, 'eclusa.yaml'), { profile: 'local' });
  if (!loaded.ok) throw new Error(`${seed}: ${JSON.stringify(loaded.errors)}`);
  const routers: Record<string, string> = {};
  for (const environment of loaded.policy.environments) {
    if (environment.router?.type === 'builtin')
      routers[environment.name] = `http://127.0.0.1:${environment.router.listen}`;
  }

  const fullEnv = (actor: string): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'],
    ECLUSA_HOME: home,
    ECLUSA_PROFILE: 'local',
    ECLUSA_ACTOR: actor,
    ...env,
  });
  const run = (actor: string, ...args: string[]): CliResult =>
    runBin(args, { cwd: dir, env: fullEnv(actor) });
  // CLI processes still running when the fixture closes (a test that timed out mid-deploy).
  const children = new Set<ChildProcess>();
  const start = (actor: string, ...args: string[]): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: fullEnv(actor) });
      children.add(child);
      child.once('exit', () => children.delete(child));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  // The deployment each environment runs now, once `status` has named it.
  const running = new Map<string, string>();
  const active = async (environment: string): Promise<ShownDeployment | undefined> => {
    let id = running.get(environment);
    if (id === undefined) {
      const status = JSON.parse(
        (await start('ci', 'status', '--env', environment, '--json')).stdout,
      ) as { environments: { active: { id: string }[] }[] };
      id = status.environments[0]?.active[0]?.id;
      if (id === undefined) return undefined;
      running.set(environment, id);
    }
    const shown = JSON.parse(
      (await start('ci', 'deployment', 'show', id, '--json')).stdout,
    ) as ShownDeployment;
    if (['succeeded', 'failed', 'rolled_back', 'aborted'].includes(shown.status))
      running.delete(environment);
    return shown;
  };
  return {
    dir,
    home,
    routers,
    run,
    start,
    active,
    close: async () => {
      try {
        for (const child of children) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await stopEnvironments(dir, { home, profile: 'local' });
        const left = processesIn(root);
        if (left.length > 0)
          throw new Error(`processes still running in ${root}: ${left.join(', ')}`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** A JUnit report as CI writes it: `tests` test cases, none failed. */
export function junitReport(dir: string, name: string, tests: number): string {
  const file = join(dir, `${name}.junit.xml`);
  const cases = Array.from(
    { length: tests },
    (_, i) => `    <testcase classname="${name}" name="case ${i + 1}" time="0.01"/>`,
  ).join('\n');
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${name}" tests="${tests}" failures="0" errors="0">\n${cases}\n  </testsuite>\n</testsuites>\n`,
  );
  return file;
}

/** Waits (polling every 300 ms) until `read` gives a value `done` accepts, or the time is up. */
export async function until<T>(
  read: () => T,
  done: (value: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * `eclusa deploy --wait --json` as `actor`, confirming each checklist step the pipeline waits
 * on as the person `confirmers` names for it would, from another terminal.
 */
export async function deployConfirming(
  seed: LocalSeed,
  actor: string,
  release: string,
  environment: string,
  confirmers: Readonly<Record<string, string>> = {},
): Promise<{ readonly result: CliResult; readonly deployment: ShownDeployment | undefined }> {
  let finished = false;
  const running = seed
    .start(actor, 'deploy', '--release', release, '--env', environment, '--wait', '--json')
    .finally(() => (finished = true));
  // Clients keep using the environment meanwhile, so monitoring has requests to judge.
  const router = seed.routers[environment];
  const clients = router === undefined ? Promise.resolve() : visit(router, () => finished);
  const confirmed = new Set<string>();
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const shown = finished ? undefined : await seed.active(environment);
    if (process.env['ECLUSA_TEST_TRACE'])
      process.stderr.write(
        `${environment}: ${JSON.stringify(shown?.steps.filter((s) => s.status === 'running'))}\n`,
      );
    for (const step of shown?.steps ?? []) {
      const name = /--checklist ([\w.-]+)/.exec(step.waiting ?? '')?.[1];
      if (step.kind !== 'checklist' || name === undefined || confirmed.has(name)) continue;
      const by = confirmers[name];
      if (by === undefined) continue;
      const args = ['--release', release, '--env', environment, '--checklist', name, '--all'];
      const done = await seed.start(by, 'checklist', 'confirm', ...args);
      if (done.code !== 0) throw new Error(`checklist confirm ${name}: ${done.stderr}`);
      confirmed.add(name);
    }
  }
  const result = await running;
  await clients;
  const body = result.stdout.indexOf('{\n');
  return {
    result,
    deployment: body >= 0 ? (JSON.parse(result.stdout.slice(body)) as ShownDeployment) : undefined,
  };
}

/** One client asking for `/api/hello` through the router every few milliseconds until `done()`. */
async function visit(router: string, done: () => boolean): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (!done()) {
      // Refused while nothing runs yet, 503 before the first route: a client retries.
      await get(`${router}/api/hello`, { agent, timeoutMs: 2_000 }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    agent.destroy();
  }
}

/** Fails the test with the command's output unless it exited 0. */
export function expectOk(result: CliResult): void {
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

/** `release create` by CI for each version, every component's image pinned by a digest. */
export function createReleases(
  seed: LocalSeed,
  versions: readonly string[],
  images: Readonly<Record<string, string>>,
): void {
  for (const [i, version] of versions.entries()) {
    const digest = `sha256:${String(i + 1).repeat(64)}`;
    const artifacts = Object.entries(images).flatMap(([component, image]) => [
      '--artifact',
      `${component}=${image}:${version}@${digest}`,
    ]);
    expectOk(
      seed.run(
        'ci',
        'release',
        'create',
        '--version',
        version,
        '--commit',
        `${String(i + 1).repeat(7)}`,
        '--tag',
        `v${version}`,
        ...artifacts,
      ),
    );
  }
}

/** A deploy window waived the way a team does it: one person asks, a project owner approves. */
export function waiveWindow(
  seed: LocalSeed,
  release: string,
  environment: string,
  people: { readonly requester: string; readonly approver: string },
): void {
  const requested = seed.run(
    people.requester,
    'waiver',
    'request',
    '--release',
    release,
    '--env',
    environment,
    '--gate',
    'window',
    '--justification',
    'release rehearsal on a workstation, outside the agreed window',
    '--risk',
    'none for clients: nothing outside this machine changes',
    '--json',
  );
  expectOk(requested);
  const { id } = JSON.parse(requested.stdout) as { id: string };
  expectOk(seed.run(people.approver, 'waiver', 'approve', id));
}

/** Pids of the processes working in `root` or below it (Linux: their /proc/<pid>/cwd). */
function processesIn(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(root)) pids.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}
