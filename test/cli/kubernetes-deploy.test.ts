import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubeApi, teamDeployment, type FakeKubeApi } from '../support/fake-kube-api.js';
import { runCli } from './run-cli.js';

// Contract test: `eclusa deploy` against a fake Kubernetes API (test/support/fake-kube-api.ts),
// reached through a kubeconfig the way kubectl would reach a cluster.
const POLICY = `version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/shop/api }
    target: { type: kubernetes, namespace: "shop-{environment}", deployment: api, container: api }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      by: instances
      steps:
        - { weight: 25, pause: 1s }
        - { weight: 100 }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: rollout }
`;

let api: FakeKubeApi;
let dir: string;
beforeAll(async () => {
  api = await startFakeKubeApi();
  dir = mkdtempSync(join(tmpdir(), 'eclusa-kube-cli-'));
  writeFileSync(join(dir, 'eclusa.yaml'), POLICY);
  writeFileSync(join(dir, 'kubeconfig'), api.kubeconfig('prod'));
  api.put('shop-production', teamDeployment('api', 4, 'ghcr.io/shop/api:0.9.0'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eclusa deploy on a kubernetes target (contract test against a fake Kubernetes API)', () => {
  it('takes over from the team’s Deployment, then runs a canary by instances 1 of 4 → 4 of 4', async () => {
    const env = {
      ECLUSA_HOME: join(dir, '.eclusa'),
      ECLUSA_ACTOR: 'carla',
      KUBECONFIG: join(dir, 'kubeconfig'),
    };
    const run = (...args: string[]) => runCli(args, { cwd: dir, env });
    for (const version of ['1.0.0', '2.0.0']) {
      const digest = `sha256:${version.replaceAll('.', '').padEnd(64, 'b')}`;
      const created = await run(
        'release',
        'create',
        '--version',
        version,
        '--commit',
        'abcdef1',
        '--artifact',
        `api=ghcr.io/shop/api@${digest}`,
      );
      expect(created.code, created.stderr).toBe(0);
    }

    const first = await run('deploy', '--release', '1.0.0', '--env', 'production', '--wait');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(api.servedBy('shop-production', { app: 'api' })).toEqual({ '1.0.0': 4 });
    expect(api.get('shop-production', 'api')?.spec.replicas).toBe(0);

    const second = await run('deploy', '--release', '2.0.0', '--env', 'production', '--wait');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('1 of 4 copies run 2.0.0 (25% of traffic)');
    expect(api.servedBy('shop-production', { app: 'api' })).toEqual({ '2.0.0': 4 });
    const slot = api.get('shop-production', 'api-green');
    expect(slot?.spec.template.spec.containers[0]?.image).toBe(
      `ghcr.io/shop/api@sha256:${'200'.padEnd(64, 'b')}`,
    );
    // The token in the kubeconfig reaches no output.
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(api.token);
  });
});
