import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/run-cli.js';
import { freePort } from '../support/free-port.js';
import { sampleAppComponent } from '../support/sample-app-component.js';
import { appRole, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { stopEnvironments } from '../support/stop-environments.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;

function policy(port: number): string {
  return `version: 1
project: { name: shop, owners: [ana] }
components:
  db:
    kind: database
    engine: postgres
    connection: env:APP_DATABASE_URL
    migrations: { tool: sql, dir: migrations, down: always }
${sampleAppComponent('3s')}
environments:
  - name: staging
    tier: staging
    promotion: { from: none }
    strategy: { type: blue-green }
    router: { type: builtin, listen: ${port} }
    verify:
      health: { type: http, url: "{url}/health", expect: { status: 200 } }
    rollback:
      automatic: true
      actions:
        - { kind: traffic }
        - { kind: redeploy }
        - { kind: migrate-down, database: db }
        - { kind: verify }
    pipeline:
      - { kind: backup, database: db }
      - { kind: migrate, database: db }
      - { kind: deploy, components: [api] }
      - { kind: verify, against: new }
      - { kind: rollout }
`;
}

describe.skipIf(skip !== undefined)(
  `backup and migrate as deployment steps on a real PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    const dirs: string[] = [];
    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      for (const dir of dirs) {
        await stopEnvironments(dir);
        rmSync(dir, { recursive: true, force: true });
      }
      await server?.stop();
    });

    it('backs up, migrates, deploys; a release that fails rolls its own migration back', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eclusa-db-pipeline-'));
      dirs.push(dir);
      const url = await app.createDatabase();
      mkdirSync(join(dir, 'migrations'));
      mkdirSync(join(dir, 'releases'));
      writeFileSync(join(dir, 'eclusa.yaml'), policy(await freePort()));
      writeFileSync(join(dir, 'releases', '1.0.0.env'), 'APP_VERSION=1.0.0\n');
      writeFileSync(join(dir, 'releases', '2.0.0.env'), 'APP_VERSION=2.0.0\nFAULT_HEALTH=fail\n');
      writeFileSync(
        join(dir, 'migrations', '001_customers.up.sql'),
        'create table if not exists customers (id serial primary key, name text);\n',
      );
      writeFileSync(
        join(dir, 'migrations', '001_customers.down.sql'),
        'drop table if exists customers;\n',
      );
      const env = {
        ECLUSA_HOME: join(dir, '.eclusa'),
        ECLUSA_ACTOR: 'carla',
        APP_DATABASE_URL: url,
      };
      const release = (v: string, d: string) =>
        runBin(
          [
            'release',
            'create',
            '--version',
            v,
            '--commit',
            'abcdef1',
            '--artifact',
            `api=ghcr.io/shop/api@sha256:${d.repeat(64)}`,
          ],
          { cwd: dir, env },
        );
      expect(release('1.0.0', 'a').code).toBe(0);
      const first = runBin(['deploy', '--release', '1.0.0', '--env', 'staging', '--wait'], {
        cwd: dir,
        env,
      });
      expect(first.code, first.stdout + first.stderr).toBe(0);

      writeFileSync(
        join(dir, 'migrations', '002_orders.up.sql'),
        'create table if not exists orders (id serial primary key);\n',
      );
      writeFileSync(
        join(dir, 'migrations', '002_orders.down.sql'),
        'drop table if exists orders;\n',
      );
      expect(release('2.0.0', 'b').code).toBe(0);
      const second = runBin(['deploy', '--release', '2.0.0', '--env', 'staging', '--wait'], {
        cwd: dir,
        env,
      });
      expect(second.code, second.stdout).toBe(4);
      expect(second.stdout).toMatch(/undo → migrate\s+migrate db down/);
      expect(second.stdout + second.stderr).not.toContain('app-s3cret-pw');

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const tables = await client.query<{ table_name: string }>(
          "select table_name from information_schema.tables where table_schema = 'public' order by 1",
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(['customers', 'eclusa_migrations']);
      } finally {
        await client.end();
      }
      const backups = JSON.parse(runBin(['backup', 'list', '--json'], { cwd: dir, env }).stdout) as
        { backups: unknown[] } | unknown[];
      expect(Array.isArray(backups) ? backups.length : backups.backups.length).toBe(2);
      expect(runBin(['audit', 'verify'], { cwd: dir, env }).code).toBe(0);
    }, 120_000);
  },
);
