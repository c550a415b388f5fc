import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditLog } from '../../core/audit/audit-log.js';
import { verifyAudit } from '../../core/audit/verify-audit.js';
import { loadPolicyFile } from '../../core/policy/load-policy.js';
import { buildEvidence } from '../../core/report/evidence-bundle.js';
import { renderEvidenceHtml } from '../../core/report/render-evidence.js';
import { decide } from '../../core/services/approval-service.js';
import { createDeployment } from '../../core/services/deployment-service.js';
import type { GovernanceContext } from '../../core/services/governance-context.js';
import { createRelease } from '../../core/services/release-service.js';
import type { Store } from '../../core/store/store.js';
import { systemClock } from '../../core/time/clock.js';
import { fileBlobStore } from '../../adapters/blobs/file-blob-store.js';
import { fileCheckpointAnchor } from '../../adapters/keys/file-checkpoint-anchor.js';
import { loadSigner } from '../../adapters/keys/file-signer.js';
import { openSqliteStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { CliIo } from '../cli-io.js';
import { exitCodeFor, progressPrinter } from '../deployment-view.js';
import { createRunner, enginePorts } from '../engine-runtime.js';
import type { RunState } from '../../core/engine/run-state.js';
import {
  CANARY_ANALYSIS,
  CANARY_RELEASES,
  canaryEnvironment,
  demoCanaryAct,
  type CanaryActResult,
} from './demo-canary-act.js';
import { readEvidenceFacts } from './evidence-facts.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One environment of the demo: blue/green behind its own builtin router, verified before and after the switch. */
function environment(name: string, entry: string, port: number): string {
  return `  - name: ${name}
    tier: ${name}
    ${entry}
    strategy: { type: blue-green }
    router: { type: builtin, listen: ${port} }
    verify:
      health: { type: http, url: "{url}/health", expect: { status: 200 } }
      hello: { type: http, url: "{url}/api/hello", expect: { status: 200, bodyContains: hello } }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: verify, against: new, id: verify-green }
      - { kind: rollout }
      - { kind: verify, against: production, id: verify-live }`;
}

function demoPolicy(
  app: string,
  ports: { staging: number; production: number; eu: number },
): string {
  return `version: 1
project:
  name: shop
  owners: [ana]
roles:
  tech-lead: { members: [ana] }
  product: { members: [bruno] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/shop/api }
    target:
      type: process
      # Each release ships its own settings file; the demo's 3.0.0 ships a broken one.
      command: ${JSON.stringify(`"${process.execPath}" --env-file=releases/{version}.env "${app}"`)}
      healthPath: /health
      readyTimeout: 3s
environments:
${environment('staging', 'promotion: { from: none }', ports.staging)}
${environment('production', 'gates:\n      approvals: { roles: [tech-lead, product] }', ports.production)}
${canaryEnvironment('eu', ports.eu)}
${CANARY_ANALYSIS}`;
}

export interface DeployActsResult {
  readonly deployments: { release: string; environment: string; id: string; status: string }[];
  readonly canary: CanaryActResult | null;
  readonly evidence: string[];
  readonly auditOk: boolean;
  readonly auditEvents: number;
}

/**
 * The deployment part of the demo, in `dir`: the sample app v1 → v2 through staging and
 * production (approvals by two people, blue/green, verification), then a v3 whose health
 * fails in green and is rolled back by itself. Stops every process it started.
 */
export async function demoDeployActs(
  io: CliIo,
  dir: string,
  say: (text: string) => void,
  quiet: boolean,
): Promise<DeployActsResult> {
  const app = fileURLToPath(new URL('./sample-app.cjs', import.meta.url));
  const routerPorts = {
    staging: await freePort(),
    production: await freePort(),
    eu: await freePort(),
  };
  await mkdir(join(dir, 'releases'), { recursive: true });
  const settings: Record<string, string> = {
    '1.0.0': '',
    '2.0.0': '',
    '3.0.0': 'FAULT_HEALTH=fail\n',
    ...CANARY_RELEASES,
  };
  for (const [version, extra] of Object.entries(settings)) {
    await writeFile(join(dir, 'releases', `${version}.env`), `APP_VERSION=${version}\n${extra}`);
  }
  const policyFile = join(dir, 'deploy.eclusa.yaml');
  await writeFile(policyFile, demoPolicy(app, routerPorts));
  const loaded = await loadPolicyFile(policyFile);
  if (!loaded.ok)
    throw new Error(`the demo policy does not validate: ${JSON.stringify(loaded.errors[0])}`);
  const policy = loaded.policy;
  const home = join(dir, '.eclusa');
  const store: Store = await openSqliteStore({ home });
  const signer = await loadSigner({ home, env: {} });
  const audit = new AuditLog({ clock: systemClock, signer, anchor: fileCheckpointAnchor(home) });
  const as = (actor: string): GovernanceContext => ({
    store,
    policy,
    clock: systemClock,
    actor: { id: actor, authenticated: false },
    audit,
    blobs: fileBlobStore(home),
  });
  const demoIo: CliIo = { ...io, cwd: dir, env: { ...io.env, ECLUSA_HOME: home } };
  const runtime = { store, audit, home, context: as('carla') };
  const printer = progressPrinter(demoIo, false);
  const runner = createRunner(demoIo, runtime, (event) => {
    if (!quiet && event.kind !== 'log') printer(event);
  });
  const result: DeployActsResult = {
    deployments: [],
    canary: null,
    evidence: [],
    auditOk: false,
    auditEvents: 0,
  };
  try {
    const run = async (
      release: string,
      environment: string,
    ): Promise<{ id: string; state?: RunState }> => {
      say(`\n   eclusa deploy --release ${release} --env ${environment} --wait   (as carla)`);
      const { id } = await createDeployment(as('carla'), { release, environment });
      const end = await runner.drive(id);
      const status = end.kind === 'finished' ? end.state.status : end.kind;
      result.deployments.push({ release, environment, id, status });
      if (end.kind !== 'finished') return { id };
      say(`   exit code ${exitCodeFor(end.state.status)}`);
      return { id, state: end.state };
    };
    const deploy = async (release: string, environment: string): Promise<string> =>
      (await run(release, environment)).id;
    say(
      `\n5. Releases by digest; the sample app v1 goes live (routers on 127.0.0.1:${routerPorts.staging} and :${routerPorts.production})`,
    );
    for (const version of Object.keys(settings)) {
      const digest = `sha256:${Buffer.from(version).toString('hex').padEnd(64, '0')}`;
      await createRelease(as('ci'), {
        version,
        commit: 'c0ffee1',
        tag: `v${version}`,
        artifacts: [`api=ghcr.io/shop/api:${version}@${digest}`],
      });
    }
    await deploy('1.0.0', 'staging');
    for (const [who, role] of [
      ['ana', 'tech-lead'],
      ['bruno', 'product'],
    ] as const) {
      await decide(as(who), 'approve', { release: '1.0.0', environment: 'production', role });
    }
    await deploy('1.0.0', 'production');

    say(
      '\n6. v2 through staging, then production with two approvals (the requester cannot approve)',
    );
    await deploy('2.0.0', 'staging');
    try {
      await decide(as('carla'), 'approve', {
        release: '2.0.0',
        environment: 'production',
        role: 'product',
      });
    } catch (error) {
      say(
        `   carla approves her own deploy: refused (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    for (const [who, role] of [
      ['ana', 'tech-lead'],
      ['bruno', 'product'],
    ] as const) {
      await decide(as(who), 'approve', { release: '2.0.0', environment: 'production', role });
      say(`   ${who} approves 2.0.0 for production as ${role}`);
    }
    const v2 = await deploy('2.0.0', 'production');

    say(
      '\n7. v3 ships a broken health check: green never gets ready, blue keeps serving, eclusa rolls back',
    );
    const v3 = await deploy('3.0.0', 'staging');

    say(
      `\n8. A canary in eu (router on 127.0.0.1:${routerPorts.eu}): 10 % → 50 % → 100 %, judged every second from each version's metrics`,
    );
    const canary = await demoCanaryAct({
      environment: 'eu',
      routerPort: routerPorts.eu,
      store,
      say,
      deploy: run,
    });
    (result as { canary: CanaryActResult | null }).canary = canary;

    say('\n9. Evidence and the audit log');
    const rolledBackCanary = canary.incident?.deploymentId;
    // The pages outlive the demo's folder (removed at the end unless --keep): they are what
    // a person opens afterwards.
    const pages = await mkdtemp(join(tmpdir(), 'eclusa-demo-evidence-'));
    for (const id of [v2, v3, ...(rolledBackCanary ? [rolledBackCanary] : [])]) {
      const facts = await readEvidenceFacts(store, id);
      if (!facts) continue;
      const file = join(pages, `evidence-${id}.html`);
      await writeFile(file, renderEvidenceHtml(buildEvidence(facts)));
      result.evidence.push(file);
      say(`   evidence: ${file}`);
    }
    await audit.seal(store);
    const verdict = await store.read((r) => verifyAudit(r, { trustedKeys: [signer.publicKeyPem] }));
    (result as { auditOk: boolean }).auditOk = verdict.ok;
    (result as { auditEvents: number }).auditEvents = verdict.events;
    say(
      `   eclusa audit verify: ${verdict.ok ? 'intact' : 'TAMPERED'}, ${verdict.events} events, hash-chained and signed`,
    );
    return result;
  } finally {
    for (const environment of ['staging', 'production', 'eu']) {
      const ports = enginePorts(demoIo, home, policy, environment);
      const target = ports.targetFor('api');
      if (target) {
        for (const instance of await target.status('api', environment).catch(() => [])) {
          await target
            .stop({ component: 'api', environment, slot: instance.slot })
            .catch(() => undefined);
        }
      }
      await ports
        .router()
        ?.shutdown()
        .catch(() => undefined);
    }
    await store.close();
  }
}
