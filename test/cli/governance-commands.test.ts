import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DIGEST, cli, create, freshHome, productionGates } from './governance-fixture.js';

let home: string;
beforeEach(() => {
  home = freshHome();
});

describe('releases are immutable and pinned by digest', () => {
  it('creates once, accepts the identical content again, refuses a change', async () => {
    expect((await create()).code).toBe(0);
    const again = await create();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    const changed = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee2',
      '--artifact',
      `api=ghcr.io/acme/api:1.0.0@${DIGEST}`,
    );
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain('RELEASE_IMMUTABLE');
    expect(changed.stderr).toContain('commit');
    const shown = JSON.parse((await cli('olga', 'release', 'show', '1.0.0', '--json')).stdout) as {
      owner: string;
      artifacts: unknown[];
    };
    expect(shown.owner).toBe('olga');
    expect(shown.artifacts).toEqual([
      { component: 'api', ref: 'ghcr.io/acme/api:1.0.0', digest: DIGEST },
    ]);
  });

  it('refuses a malformed digest (2) and a mutable tag (3) unless the policy allows it', async () => {
    const malformed = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee1',
      '--artifact',
      'api=ghcr.io/acme/api:1.0.0@sha256:xyz',
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('INVALID_DIGEST');
    const mutable = await cli(
      'olga',
      'release',
      'create',
      '--version',
      '1.0.0',
      '--commit',
      'c0ffee1',
      '--artifact',
      'api=ghcr.io/acme/api:latest',
    );
    expect(mutable.code).toBe(3);
    expect(mutable.stderr).toContain('MUTABLE_ARTIFACT');
    expect((await create('1.0.0', ['--artifact', 'web=ghcr.io/acme/web:latest'])).code).toBe(0);
  });

  it('names the known releases and environments when one is unknown', async () => {
    await create();
    const release = await cli('olga', 'gates', '--release', '9.9.9', '--env', 'production');
    expect(release.code).toBe(2);
    expect(release.stderr).toContain('known releases (newest first): 1.0.0');
    const env = await cli('olga', 'gates', '--release', '1.0.0', '--env', 'prod');
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('known environments: staging, production');
  });
});

describe('checks read their evidence', () => {
  it('stores facts from the file and names the line of a broken one', async () => {
    await create();
    writeFileSync(
      join(home, 'junit.xml'),
      '<testsuite tests="2" failures="1"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>',
    );
    const failed = await cli(
      'ci',
      'check',
      'report',
      '--release',
      '1.0.0',
      '--check',
      'unit',
      '--status',
      'fail',
      '--evidence',
      'junit.xml',
      '--json',
    );
    expect(failed.code, failed.stderr).toBe(0);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      evidence: { format: 'junit', summary: { tests: 2, failures: 1 } },
    });
    writeFileSync(
      join(home, 'coverage.xml'),
      '<?xml version="1.0"?>\n<coverage line-rate="0.9">\n<packages>\n<package>\n',
    );
    const broken = await cli(
      'ci',
      'check',
      'report',
      '--release',
      '1.0.0',
      '--check',
      'coverage',
      '--status',
      'pass',
      '--evidence',
      'coverage.xml',
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/coverage\.xml: Cobertura XML is malformed at line \d+/);
    const gates = await productionGates('ci');
    expect(gates.gates.find((g) => g.name === 'check:unit')).toMatchObject({ status: 'fail' });
    expect(gates.gates.find((g) => g.name === 'check:coverage')).toMatchObject({
      status: 'pending',
    });
  });
});
