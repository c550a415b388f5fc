import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/*
 * The migration-lint gate through the CLI: the policy's sql migration folder (relative to
 * the policy file, wherever eclusa runs from) linted for the release being judged.
 */

const POLICY = `
version: 1
project: { name: shop, owners: [olga] }
components:
  api: { kind: service, artifact: { image: ghcr.io/acme/api } }
  db:
    kind: database
    engine: postgres
    connection: env:SHOP_DATABASE_URL
    migrations: { tool: sql, dir: db/migrations }
environments:
  - name: production
    tier: production
    gates:
      migrationLint: true
`;
const DIGEST = `sha256:${'cd'.repeat(32)}`;
const T = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n";

let project: string;
let home: string;

const cli = (...argv: string[]) =>
  runCli(argv, {
    cwd: home,
    env: { ECLUSA_HOME: home, ECLUSA_POLICY: join(project, 'eclusa.yaml'), ECLUSA_ACTOR: 'olga' },
  });

async function lintGate(version: string) {
  const created = await cli(
    'release',
    'create',
    '--version',
    version,
    '--commit',
    'c0ffee1',
    '--artifact',
    `api=ghcr.io/acme/api:${version}@${DIGEST}`,
  );
  expect(created.code, created.stderr).toBe(0);
  const result = await cli('gates', '--release', version, '--env', 'production', '--json');
  const body = JSON.parse(result.stdout) as {
    ok: boolean;
    gates: { name: string; status: string; reason: string }[];
  };
  return { code: result.code, gate: body.gates.find((g) => g.name === 'migration-lint') };
}

function migrations(files: Record<string, string>): void {
  const dir = join(project, 'db', 'migrations');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'eclusa-lint-gate-project-'));
  home = mkdtempSync(join(tmpdir(), 'eclusa-lint-gate-home-'));
  writeFileSync(join(project, 'eclusa.yaml'), POLICY);
});

describe('gates.migrationLint', () => {
  it('passes when the migrations lint without errors, counting the warnings', async () => {
    migrations({
      '001_orders.up.sql': 'CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY);',
      '002_note.up.sql':
        "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    });
    const { code, gate } = await lintGate('1.0.0');
    expect(code).toBe(0);
    expect(gate).toEqual({
      name: 'migration-lint',
      status: 'pass',
      reason: '2 migration file(s) in db/migrations lint without errors (1 warning(s))',
    });
  });

  it('fails naming the count and the first error, and refuses the deploy (exit 3)', async () => {
    migrations({
      '001_orders.up.sql': 'CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, note text);',
      '002_contract.up.sql': `${T}ALTER TABLE orders DROP COLUMN IF EXISTS note;\nALTER TABLE orders RENAME TO purchases;`,
    });
    const { code, gate } = await lintGate('1.0.0');
    expect(code).toBe(3);
    expect(gate?.status).toBe('fail');
    expect(gate?.reason).toMatch(
      /^2 lint error\(s\) in db\/migrations; first: db\/migrations\/002_contract\.up\.sql:3 drop-column DROP COLUMN orders\.note /,
    );
  });

  it('judges expand/contract drops against the release being deployed', async () => {
    migrations({
      '001_deprecate.up.sql': '-- eclusa:deprecate column orders.note since 1.0.0\n',
      '002_contract.up.sql': `${T}ALTER TABLE orders DROP COLUMN IF EXISTS note;`,
    });
    const same = await lintGate('1.0.0');
    expect(same.gate?.status).toBe('fail');
    expect(same.gate?.reason).toContain('release 1.0.0 is not later');
    const next = await lintGate('1.1.0');
    expect(next.gate?.status).toBe('pass');
  });

  it('counts findings allowed with a reason without failing', async () => {
    migrations({
      '001_cache.up.sql': `${T}-- eclusa:allow truncate-table reason: the cache is rebuilt on start\nTRUNCATE page_cache;`,
    });
    const { gate } = await lintGate('1.0.0');
    expect(gate).toMatchObject({
      status: 'pass',
      reason:
        '1 migration file(s) in db/migrations lint without errors (1 finding(s) allowed with a reason)',
    });
  });

  it('fails when the folder is missing, or there is no sql migration folder at all', async () => {
    const missing = await lintGate('1.0.0');
    expect(missing.gate).toEqual({
      name: 'migration-lint',
      status: 'fail',
      reason: 'migrations folder "db/migrations" does not exist',
    });
    writeFileSync(
      join(project, 'eclusa.yaml'),
      POLICY.replace(
        'migrations: { tool: sql, dir: db/migrations }',
        'migrations: { tool: command, command: alembic upgrade head }',
      ),
    );
    const none = await lintGate('1.0.1');
    expect(none.gate?.status).toBe('fail');
    expect(none.gate?.reason).toContain('no database component has migrations with tool: sql');
  });
});
