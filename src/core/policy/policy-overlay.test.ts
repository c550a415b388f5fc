import { describe, expect, it } from 'vitest';
import { validatePolicyText } from './load-policy.js';
import { mergePolicyData } from './policy-overlay.js';

const BASE = `version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    target: { type: kubernetes, namespace: shop, deployment: api }
environments:
  - name: staging
    tier: staging
    pipeline:
      - { kind: deploy, components: [api] }
  - name: production
    tier: production
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: cache, action: purge, provider: cloudflare, zone: z1 }
`;

const LOCAL = `components:
  api:
    target: { type: process, command: "node app.js" }
environments:
  - name: production
    router: { type: builtin, listen: 18080 }
    pipeline:
      - { kind: deploy, components: [api] }
`;

describe('profile overlays', () => {
  it('merge maps by key, environments by name, and replace lists', () => {
    const merged = mergePolicyData(
      { a: { b: 1, c: 2 }, environments: [{ name: 'x', k: 1, l: [1] }, { name: 'y' }], drop: 1 },
      { a: { c: 3 }, environments: [{ name: 'x', l: [2] }, { name: 'z' }], drop: null },
    );
    expect(merged).toEqual({
      a: { b: 1, c: 3 },
      environments: [{ name: 'x', k: 1, l: [2] }, { name: 'y' }, { name: 'z' }],
    });
  });

  it('drop the nulls of a map that replaces another whole: they remove keys there too', () => {
    expect(
      mergePolicyData(
        { t: { type: 'command', deploy: 'x.sh', cwd: '/srv' } },
        { t: { type: 'process', command: 'node app.js', cwd: null, deploy: null } },
      ),
    ).toEqual({ t: { type: 'process', command: 'node app.js' } });
    expect(mergePolicyData({}, { a: { b: null, c: [{ d: null, e: 1 }] } })).toEqual({
      a: { c: [{ e: 1 }] },
    });
  });

  it('replace a target and a production pipeline for this machine', () => {
    const result = validatePolicyText('eclusa.yaml', BASE, {
      file: 'eclusa.local.yaml',
      text: LOCAL,
    });
    expect(result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.policy.components['api']).toMatchObject({ target: { type: 'process' } });
    const production = result.policy.environments.find((e) => e.name === 'production');
    expect(production?.pipeline.map((s) => s.kind)).toEqual(['deploy']);
    expect(production?.router).toEqual({ type: 'builtin', listen: 18080 });
  });

  it('point errors at the file and line that set the value', () => {
    const broken = LOCAL.replace('listen: 18080', 'listen: "x"');
    const result = validatePolicyText('eclusa.yaml', BASE, {
      file: 'eclusa.local.yaml',
      text: broken,
    });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ file: 'eclusa.local.yaml', line: 6 });
    const baseBroken = BASE.replace('tier: staging', 'tier: stagin');
    const other = validatePolicyText('eclusa.yaml', baseBroken, {
      file: 'eclusa.local.yaml',
      text: LOCAL,
    });
    expect(other.errors[0]).toMatchObject({ file: 'eclusa.yaml', line: 9 });
  });
});
