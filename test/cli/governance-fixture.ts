import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from './run-cli.js';

/** A small policy and a fresh ECLUSA_HOME per test, for the governance command tests. */
export const POLICY = `
version: 1
project: { name: shop, owners: [olga, otto] }
roles:
  reviewer: { members: [rita, raul] }
  ops: { members: [davi, edu] }
components:
  api: { kind: service, artifact: { image: ghcr.io/acme/api } }
  web: { kind: frontend, artifact: { image: ghcr.io/acme/web, allowMutableTag: true } }
checks:
  unit: { type: tests }
  coverage: { type: coverage, min: 85 }
checklists:
  pre: { confirmedBy: ops, items: [changelog reviewed, migrations reviewed] }
waivers: { approvedBy: reviewer }
environments:
  - name: staging
    tier: staging
  - name: production
    tier: production
    gates:
      checks: [unit, coverage]
      checklists: [pre]
      approvals: { roles: [reviewer, ops] }
      rollbackPlan: true
`;

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
let home = '';
export const cli = (actor: string, ...argv: string[]): Promise<CliResult> =>
  runCli(argv, {
    cwd: home,
    env: { ECLUSA_HOME: home, ECLUSA_POLICY: join(home, 'eclusa.yaml'), ECLUSA_ACTOR: actor },
  });
export const create = (version = '1.0.0', extra: string[] = []): Promise<CliResult> =>
  cli(
    'olga',
    'release',
    'create',
    '--version',
    version,
    '--commit',
    'c0ffee1',
    '--artifact',
    `api=ghcr.io/acme/api:${version}@${DIGEST}`,
    ...extra,
  );

/** A new home with the policy in it; call before each test. */
export function freshHome(): string {
  home = mkdtempSync(join(tmpdir(), 'eclusa-gov-'));
  writeFileSync(join(home, 'eclusa.yaml'), POLICY);
  return home;
}

export interface GatesView {
  readonly ok: boolean;
  readonly gates: readonly {
    readonly name: string;
    readonly status: string;
    readonly reason: string;
  }[];
}

/** `eclusa gates --json` for release 1.0.0 in production, as `actor`. */
export async function productionGates(actor = 'x'): Promise<GatesView> {
  const result = await cli(actor, 'gates', '--release', '1.0.0', '--env', 'production', '--json');
  return JSON.parse(result.stdout) as GatesView;
}
