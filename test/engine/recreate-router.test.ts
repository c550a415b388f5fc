import { afterEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

const RECREATE = `
version: 1
project: { name: shop, owners: [ana] }
components:
  api:
    kind: service
    artifact: { image: ghcr.io/acme/api }
    target: { type: process, command: "node app.js", healthPath: /health }
environments:
  - name: production
    tier: production
    promotion: { from: none }
    router: { type: builtin, listen: 18080 }
    verify:
      health: { type: http, url: "{url}/health" }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: verify, checks: [health] }
`;

let fx: EngineFixture;
afterEach(async () => fx.close());

describe('recreate behind a router (in-memory ports)', () => {
  it('sends clients to the new version as soon as it replaces the old one', async () => {
    fx = await engineFixture(RECREATE);
    await fx.release('1.0.0');
    const first = await fx.runner().drive(await fx.deploy('1.0.0'));
    expect(first).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    expect(fx.world.routes.at(-1)).toMatchObject({
      stable: { id: 'api-main', version: '1.0.0' },
      canaryWeight: 0,
    });

    await fx.release('1.1.0');
    const second = await fx.runner().drive(await fx.deploy('1.1.0'));
    expect(second).toMatchObject({ kind: 'finished', state: { status: 'succeeded' } });
    expect(fx.world.liveVersion()).toBe('1.1.0');
    expect(fx.world.routes).toHaveLength(2);
  });
});
