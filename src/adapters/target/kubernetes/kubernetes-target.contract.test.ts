import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartRequest } from '../../../core/target/target.js';
import { failureOf } from '../../../../test/support/failure-of.js';
import {
  startFakeKubeApi,
  teamDeployment,
  type FakeKubeApi,
} from '../../../../test/support/fake-kube-api.js';
import type { KubernetesTargetConfig } from '../target-config.js';
import { KubernetesTarget } from './kubernetes-target.js';

// Contract test: there is no Kubernetes cluster here, so the target talks to a fake API
// server built from the documented apps/v1 API (test/support/fake-kube-api.ts).
describe('kubernetes target (contract test against a fake Kubernetes API)', () => {
  let api: FakeKubeApi;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let tests = 0;

  beforeAll(async () => {
    api = await startFakeKubeApi();
    dir = mkdtempSync(join(tmpdir(), 'eclusa-kube-'));
    writeFileSync(join(dir, 'config'), api.kubeconfig());
    env = { KUBECONFIG: join(dir, 'config') };
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A namespace of its own per test, holding the team's Deployment `api` with `replicas`. */
  const setup = (replicas = 10, config: Partial<KubernetesTargetConfig> = {}) => {
    tests += 1;
    const namespace = `shop-${tests}`;
    api.put(namespace, teamDeployment('api', replicas));
    const target = new KubernetesTarget({
      config: { type: 'kubernetes', namespace, deployment: 'api', container: 'api', ...config },
      component: 'api',
      env,
      pollMs: 10,
    });
    return { namespace, target };
  };
  const request = (slot: string, version: string, extra: Partial<StartRequest> = {}) => ({
    component: 'api',
    environment: 'production',
    slot,
    release: version,
    version,
    digest: `sha256:${version.replaceAll('.', '').padEnd(64, '0')}`,
    artifact: `ghcr.io/acme/api@sha256:${version.replaceAll('.', '').padEnd(64, '0')}`,
    ...extra,
  });

  it('runs a version as a copy of the team’s Deployment, with the release’s image in the named container', async () => {
    const { namespace, target } = setup(3);
    const lines: string[] = [];
    const instance = await target.start({ ...request('blue', '2.0.0'), log: (l) => lines.push(l) });
    expect(instance).toMatchObject({ slot: 'blue', version: '2.0.0', state: 'running' });
    const slot = api.get(namespace, 'api-blue');
    expect(slot?.spec.replicas).toBe(3);
    const containers = slot?.spec.template.spec.containers ?? [];
    expect(containers.map((c) => c.image)).toEqual([
      request('blue', '2.0.0').artifact,
      'fluent/fluent-bit:3.0',
    ]);
    expect(slot?.spec.selector.matchLabels).toEqual({ app: 'api', 'eclusa.dev/slot': 'blue' });
    expect(slot?.spec.template.metadata?.labels).toMatchObject({
      app: 'api',
      'eclusa.dev/slot': 'blue',
      'eclusa.dev/environment': 'production',
    });
    expect(await target.status('api', 'production')).toEqual([
      expect.objectContaining({ slot: 'blue', version: '2.0.0', state: 'running' }),
    ]);
    expect(lines.join('\n')).toContain(
      `${namespace}/api-blue: creating with 3 of 3 copies of 2.0.0`,
    );
  });

  it('hands the traffic over from the team’s Deployment once a slot runs every copy', async () => {
    const { namespace, target } = setup(4);
    await target.start(request('blue', '2.0.0'));
    expect(api.servedBy(namespace, { app: 'api' })).toEqual({ '2.0.0': 4 });
    expect(api.get(namespace, 'api')?.spec.replicas).toBe(0);
    expect(api.get(namespace, 'api')?.metadata.annotations?.['eclusa.dev/replicas']).toBe('4');
    expect(await target.instances.total('api', 'production')).toBe(4);
  });

  it('splits traffic by copies: a canary of 1 beside 9 stable copies takes a tenth', async () => {
    const { namespace, target } = setup(10);
    await target.start(request('blue', '1.0.0'));
    await target.start(request('green', '2.0.0', { instances: 1 }));
    expect(api.servedBy(namespace, { app: 'api' })).toEqual({ '1.0.0': 10, '2.0.0': 1 });
    await target.instances.scale({
      component: 'api',
      environment: 'production',
      slot: 'blue',
      instances: 9,
    });
    expect(api.servedBy(namespace, { app: 'api' })).toEqual({ '1.0.0': 9, '2.0.0': 1 });
    await target.instances.scale({
      component: 'api',
      environment: 'production',
      slot: 'green',
      instances: 10,
    });
    await target.instances.scale({
      component: 'api',
      environment: 'production',
      slot: 'blue',
      instances: 0,
    });
    expect(api.servedBy(namespace, { app: 'api' })).toEqual({ '2.0.0': 10 });
    const status = await target.status('api', 'production');
    expect(status.map((i) => `${i.slot}=${i.version}:${i.state}`).sort()).toEqual([
      'blue=1.0.0:stopped',
      'green=2.0.0:running',
    ]);
  });

  it('changes nothing when asked again for what already runs', async () => {
    const { target } = setup(2);
    await target.start(request('blue', '2.0.0'));
    const writes = () => api.requests.filter((r) => !r.startsWith('GET')).length;
    const before = writes();
    await target.start(request('blue', '2.0.0'));
    await target.instances.scale({
      component: 'api',
      environment: 'production',
      slot: 'blue',
      instances: 2,
    });
    expect(writes()).toBe(before);
  });

  it('replaces another version in the slot by patching its Deployment', async () => {
    const { namespace, target } = setup(2);
    await target.start(request('blue', '2.0.0'));
    const generation = api.get(namespace, 'api-blue')?.metadata.generation ?? 0;
    await target.start(request('blue', '2.1.0'));
    const slot = api.get(namespace, 'api-blue');
    expect(slot?.metadata.generation).toBe(generation + 1);
    expect(slot?.metadata.annotations?.['eclusa.dev/version']).toBe('2.1.0');
    expect(api.servedBy(namespace, { app: 'api' })).toEqual({ '2.1.0': 2 });
  });

  it('stops a slot by deleting its Deployment; a slot already gone is fine', async () => {
    const { namespace, target } = setup(2);
    await target.start(request('blue', '2.0.0'));
    await target.stop({ component: 'api', environment: 'production', slot: 'blue' });
    expect(api.get(namespace, 'api-blue')).toBeUndefined();
    await target.stop({ component: 'api', environment: 'production', slot: 'blue' });
    expect(await target.status('api', 'production')).toEqual([]);
  });

  it('fails a start whose rollout stalls, saying why and how to look', async () => {
    const { target } = setup(2);
    const bad = request('blue', '6.6.6');
    api.failingImages.add(bad.artifact);
    const error = await failureOf(target.start(bad));
    expect(error).toMatchObject({ code: 'TARGET_START_FAILED' });
    expect(error.message).toContain('rollout stalled');
    expect(error.message).toContain('has timed out progressing');
    expect((error as { hint?: string }).hint).toContain('describe deployment api-blue');
  });

  it('refuses a missing template, a missing container and a release without an image', async () => {
    const { target } = setup(2, { deployment: 'nope' });
    expect(await failureOf(target.start(request('blue', '2.0.0')))).toMatchObject({
      code: 'KUBE_TEMPLATE_MISSING',
    });
    const other = setup(2, { container: 'web' }).target;
    const error = await failureOf(other.start(request('blue', '2.0.0')));
    expect(error).toMatchObject({ code: 'KUBE_TEMPLATE_INVALID' });
    expect(error.message).toContain('no container "web" (it has api, log-shipper)');
    const { artifact: _a, ...noImage } = request('blue', '2.0.0');
    expect(await failureOf(setup(2).target.start(noImage))).toMatchObject({
      code: 'ARTIFACT_REQUIRED',
    });
  });

  it('will not take over a slot that belongs to another environment', async () => {
    const { target } = setup(2);
    await target.start(request('blue', '2.0.0'));
    const error = await failureOf(
      target.start({ ...request('blue', '2.0.0'), environment: 'staging' }),
    );
    expect(error).toMatchObject({ code: 'KUBE_SLOT_TAKEN' });
    expect(error.message).toContain('it belongs to production');
    expect((error as { hint?: string }).hint).toContain('{environment}');
  });

  it('gives each slot a Service of its own when the target names a port, for a router in the cluster', async () => {
    const { namespace, target } = setup(2, { port: 8080 });
    const instance = await target.start(request('green', '2.0.0'));
    expect(instance.endpoint).toEqual({ host: `api-green.${namespace}.svc`, port: 8080 });
    expect(api.service(namespace, 'api-green')).toMatchObject({
      spec: { selector: { app: 'api', 'eclusa.dev/slot': 'green' }, ports: [{ port: 8080 }] },
    });
    expect((await target.status('api', 'production'))[0]?.endpoint).toEqual(instance.endpoint);
    await target.stop({ component: 'api', environment: 'production', slot: 'green' });
    expect(api.service(namespace, 'api-green')).toBeUndefined();
  });

  it('fills {environment} into the namespace', async () => {
    tests += 1;
    api.put(`shop-production-${tests}`, teamDeployment('api', 1));
    const target = new KubernetesTarget({
      config: { type: 'kubernetes', namespace: `shop-{environment}-${tests}`, deployment: 'api' },
      component: 'api',
      env,
      pollMs: 10,
    });
    await target.start(request('blue', '2.0.0'));
    expect(api.get(`shop-production-${tests}`, 'api-blue')).toBeDefined();
  });

  it('reports refused credentials with the fix, and never the token', async () => {
    const path = join(dir, 'wrong');
    writeFileSync(path, api.kubeconfig().replace(api.token, 'not-the-token'));
    const target = new KubernetesTarget({
      config: { type: 'kubernetes', namespace: 'shop', deployment: 'api' },
      component: 'api',
      env: { KUBECONFIG: path },
      pollMs: 10,
    });
    const error = await failureOf(target.status('api', 'production'));
    expect(error).toMatchObject({ code: 'KUBE_FORBIDDEN' });
    expect(error.message).toContain('401 Unauthorized');
    expect(`${error.message} ${(error as { hint?: string }).hint ?? ''}`).not.toContain(
      'not-the-token',
    );
  });
});
