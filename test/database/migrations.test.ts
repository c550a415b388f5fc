import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrateDown,
  migrationStatus,
  runMigrations,
} from '../../src/core/services/migration-service.js';
import { APP_PASSWORD, appRole, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import {
  databaseFixture,
  databasePolicy,
  failureOf,
  type DatabaseFixture,
} from './database-fixture.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`migration tests skipped: ${skip}`);

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tableExists = async (url: string, name: string): Promise<boolean> =>
  (await query<{ t: string | null }>(url, `select to_regclass('${name}')::text as t`))[0]?.t !==
  null;

const ledger = (url: string) =>
  query<{
    version: number;
    name: string;
    checksum: string;
    applied_by: string;
    duration_ms: number;
  }>(
    url,
    'select version, name, checksum, applied_by, duration_ms from eclusa_migrations order by version',
  );

const INIT = 'create table customers (id serial primary key, name text not null);\n';
const ORDERS =
  'create table orders (id serial primary key, customer_id int references customers(id));\n';

describe.skipIf(skip !== undefined)(
  `the sql migration runner${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    const fixtures: DatabaseFixture[] = [];

    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      for (const fixture of fixtures) await fixture.close();
      await server?.stop();
    });

    async function fresh(policy = databasePolicy()) {
      const url = await app.createDatabase();
      const fixture = await databaseFixture(policy, { APP_DATABASE_URL: url });
      fixtures.push(fixture);
      return { fixture, url, context: fixture.context() };
    }
    const production = { environment: 'production', database: 'db' };

    it('applies pending migrations in order, each with its ledger row, and skips them the next time', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      fixture.migration('001_init.down.sql', 'drop table customers;');
      fixture.migration('002_orders.up.sql', ORDERS);
      const run = await runMigrations(context, { ...production, deploymentId: 'dep_1' });
      expect(run).toMatchObject({
        status: 'succeeded',
        tool: 'sql',
        direction: 'up',
        deploymentId: 'dep_1',
      });
      expect(run.migrations.map((m) => m.version)).toEqual([1, 2]);
      const rows = await ledger(url);
      expect(rows.map((r) => [r.version, r.name, r.applied_by])).toEqual([
        [1, 'init', 'ana'],
        [2, 'orders', 'ana'],
      ]);
      expect(rows[0]?.checksum).toBe(createHash('sha256').update(INIT).digest('hex'));
      expect(await tableExists(url, 'orders')).toBe(true);

      const again = await runMigrations(context, production);
      expect(again).toMatchObject({ status: 'succeeded', migrations: [] });
      const status = await migrationStatus(context, production);
      expect(status.entries.map((e) => [e.file, e.state, e.hasDown])).toEqual([
        ['001_init.up.sql', 'applied', true],
        ['002_orders.up.sql', 'applied', false],
      ]);
      expect(status.runs.map((r) => r.id)).toEqual([again.id, run.id]);
      expect((await fixture.auditBodies()).join('\n')).toContain('database.migrations.succeeded');
    });

    it('stops before anything runs when an applied migration was edited, removed, or a pending one is out of order', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      fixture.migration('003_orders.up.sql', ORDERS);
      await runMigrations(context, production);
      fixture.migration('004_audit.up.sql', 'create table audit_trail (id int);');

      fixture.migration('001_init.up.sql', `${INIT}-- an edit after the fact\n`);
      await expect(runMigrations(context, production)).rejects.toMatchObject({
        code: 'MIGRATIONS_DRIFTED',
        kind: 'refused',
        message: expect.stringContaining(
          '001_init.up.sql was edited after it was applied',
        ) as string,
      });
      expect(await tableExists(url, 'audit_trail')).toBe(false);
      fixture.migration('001_init.up.sql', INIT);

      rmSync(join(fixture.home, 'migrations', '003_orders.up.sql'));
      await expect(runMigrations(context, production)).rejects.toMatchObject({
        message: expect.stringContaining('version 3 (orders) is in the ledger') as string,
      });
      fixture.migration('003_orders.up.sql', ORDERS);

      fixture.migration('002_late.up.sql', 'create table late (id int);');
      await expect(runMigrations(context, production)).rejects.toMatchObject({
        message: expect.stringContaining('002_late.up.sql is pending but numbered below') as string,
      });
      expect(await tableExists(url, 'late')).toBe(false);
      expect(await tableExists(url, 'audit_trail')).toBe(false);
      const status = await migrationStatus(context, production);
      expect(status.entries.map((e) => e.state)).toEqual([
        'applied',
        'out-of-order',
        'applied',
        'pending',
      ]);
      const runs = await fixture.store.read((r) => r.listMigrationRuns());
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'refused', 'refused', 'refused']);
      expect(runs[1]?.failure?.file).toBe('001_init.up.sql');
    });

    it('rolls a failing migration back whole and leaves the ledger as it was, naming file and line', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      fixture.migration(
        '002_broken.up.sql',
        'create table half_done (id int);\ninsert into half_done values (1);\n\ninsert into missing_table values (1);\n',
      );
      const error = await failureOf(
        runMigrations(context, { ...production, deploymentId: 'dep_9' }),
      );
      expect(error).toMatchObject({ code: 'MIGRATION_FAILED', kind: 'failed' });
      expect(error.message).toMatch(
        /^002_broken\.up\.sql:4: relation "missing_table" does not exist/,
      );
      expect(await tableExists(url, 'half_done')).toBe(false);
      expect((await ledger(url)).map((r) => r.version)).toEqual([1]);
      const runs = await fixture.store.read((r) => r.listMigrationRuns({ deploymentId: 'dep_9' }));
      expect(runs).toMatchObject([
        {
          status: 'failed',
          migrations: [{ version: 1, name: 'init' }],
          failure: { file: '002_broken.up.sql' },
        },
      ]);
    });

    it('reads every pending file with the PostgreSQL parser before running any, reporting line and column', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      fixture.migration('002_typo.up.sql', 'create table ok (id int);\nselect frm where;\n');
      await expect(runMigrations(context, production)).rejects.toMatchObject({
        code: 'MIGRATION_SYNTAX',
        kind: 'invalid-input',
        message: expect.stringMatching(/^002_typo\.up\.sql:2:\d+: syntax error/) as string,
      });
      expect(await tableExists(url, 'customers')).toBe(false);

      fixture.migration('002_typo.up.sql', 'begin;\ncreate table ok (id int);\ncommit;\n');
      await expect(runMigrations(context, production)).rejects.toMatchObject({
        code: 'MIGRATION_TRANSACTION_CONTROL',
      });
      expect(await tableExists(url, 'customers')).toBe(false);
    });

    it('runs a `-- eclusa:no-transaction` file statement by statement (CREATE INDEX CONCURRENTLY)', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      fixture.migration(
        '002_index.up.sql',
        '-- eclusa:no-transaction\ncreate index concurrently customers_name_idx on customers (name);\ncreate index concurrently customers_id_name_idx on customers (id, name);\n',
      );
      await runMigrations(context, production);
      expect(await tableExists(url, 'customers_name_idx')).toBe(true);
      expect(await tableExists(url, 'customers_id_name_idx')).toBe(true);
      expect((await ledger(url)).map((r) => r.version)).toEqual([1, 2]);
    });

    it('lets one runner at a time work on a database (advisory lock)', async () => {
      const { fixture, url, context } = await fresh();
      fixture.migration('001_init.up.sql', INIT);
      const holder = new pg.Client({ connectionString: url, application_name: 'other runner' });
      await holder.connect();
      try {
        await holder.query('select pg_advisory_lock($1, $2)', [0x65636c75, 0x6d696772]);
        await expect(runMigrations(context, production)).rejects.toMatchObject({
          code: 'MIGRATIONS_LOCKED',
          kind: 'refused',
          message: expect.stringContaining('other runner') as string,
        });
        expect(await tableExists(url, 'customers')).toBe(false);
      } finally {
        await holder.end();
      }
      await runMigrations(context, production);
      expect(await tableExists(url, 'customers')).toBe(true);
    });

    describe('down', () => {
      it('reverts what a deployment applied, newest first, and nothing more when run again', async () => {
        const { fixture, url, context } = await fresh();
        fixture.migration('001_init.up.sql', INIT);
        fixture.migration('001_init.down.sql', 'drop table customers;');
        await runMigrations(context, production);
        fixture.migration('002_orders.up.sql', ORDERS);
        fixture.migration('002_orders.down.sql', 'drop table orders;');
        fixture.migration('003_notes.up.sql', 'alter table orders add column note text;');
        fixture.migration('003_notes.down.sql', 'alter table orders drop column note;');
        await runMigrations(context, { ...production, deploymentId: 'dep_2' });
        const down = await migrateDown(context, { ...production, deploymentId: 'dep_2' });
        expect(down).toMatchObject({ direction: 'down', status: 'succeeded' });
        expect(down.migrations.map((m) => m.version)).toEqual([3, 2]);
        expect((await ledger(url)).map((r) => r.version)).toEqual([1]);
        expect(await tableExists(url, 'orders')).toBe(false);
        expect(await tableExists(url, 'customers')).toBe(true);
        expect(
          (await migrateDown(context, { ...production, deploymentId: 'dep_2' })).migrations,
        ).toEqual([]);
        expect((await fixture.auditBodies()).join('\n')).toContain(
          'database.migrations.down.succeeded',
        );
      });

      it('refuses before running anything when a migration to revert has no down file', async () => {
        const { fixture, url, context } = await fresh();
        fixture.migration('001_init.up.sql', INIT);
        fixture.migration('001_init.down.sql', 'drop table customers;');
        fixture.migration('002_orders.up.sql', ORDERS);
        await runMigrations(context, production);
        await expect(migrateDown(context, { ...production, steps: 2 })).rejects.toMatchObject({
          code: 'MIGRATION_NO_DOWN',
          message: expect.stringContaining('002_orders.up.sql') as string,
        });
        expect((await ledger(url)).map((r) => r.version)).toEqual([1, 2]);
      });

      it('is refused when the policy says down: never', async () => {
        const { context } = await fresh(databasePolicy().replace('down: when-safe', 'down: never'));
        await expect(migrateDown(context, production)).rejects.toMatchObject({
          code: 'MIGRATE_DOWN_FORBIDDEN',
          kind: 'refused',
        });
      });
    });

    describe('the command tool', () => {
      const commandPolicy = (command: string) =>
        databasePolicy().replace(
          'migrations: { tool: sql, dir: migrations, down: when-safe }',
          `migrations: { tool: command, command: ${JSON.stringify(command)}, downCommand: "exit 7" }`,
        );

      it('runs the team’s tool with the connection in DATABASE_URL and keeps its output, redacted', async () => {
        const { fixture, url, context } = await fresh(
          commandPolicy(
            'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "create table via_tool (id int)" && echo "migrated $ECLUSA_ENVIRONMENT using $DATABASE_URL"',
          ),
        );
        const run = await runMigrations(context, { ...production, deploymentId: 'dep_3' });
        expect(run).toMatchObject({ tool: 'command', status: 'succeeded', deploymentId: 'dep_3' });
        expect(await tableExists(url, 'via_tool')).toBe(true);
        expect(run.output).toContain('migrated production using [redacted]');
        expect(run.output).not.toContain(APP_PASSWORD);
        expect((await fixture.auditBodies()).join('\n')).not.toContain(APP_PASSWORD);
        const status = await migrationStatus(context, production);
        expect(status.runs[0]).toMatchObject({ id: run.id, tool: 'command' });
      });

      it('records a failing tool with its output and fails the step', async () => {
        const { fixture, context } = await fresh(
          commandPolicy('echo "boom: $DATABASE_URL" >&2; exit 3'),
        );
        await expect(runMigrations(context, production)).rejects.toMatchObject({
          code: 'MIGRATION_COMMAND_FAILED',
          kind: 'failed',
          message: expect.stringContaining('exited with 3') as string,
        });
        const [run] = await fixture.store.read((r) => r.listMigrationRuns());
        expect(run).toMatchObject({ status: 'failed', output: 'boom: [redacted]\n' });
        await expect(migrateDown(context, production)).rejects.toMatchObject({
          message: expect.stringContaining('exit 7 exited with 7') as string,
        });
      });
    });

    it('refuses the built-in runner for MySQL, pointing at the command tool', async () => {
      const { fixture } = await fresh(databasePolicy({ engine: 'mysql' }));
      fixture.env['APP_DATABASE_URL'] = 'mysql://app:pw@127.0.0.1:1/app';
      fixture.migration('001_init.up.sql', INIT);
      await expect(runMigrations(fixture.context(), production)).rejects.toMatchObject({
        code: 'MIGRATIONS_UNSUPPORTED',
        hint: expect.stringContaining('tool: command') as string,
      });
    });
  },
);
