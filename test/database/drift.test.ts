import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptDrift } from '../../src/core/services/adopt-service.js';
import { checkDrift } from '../../src/core/services/drift-service.js';
import { gatesFor } from '../../src/core/services/gates-service.js';
import { runMigrations } from '../../src/core/services/migration-service.js';
import { appRole, execSql, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { databaseFixture, databasePolicy, type DatabaseFixture } from './database-fixture.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`drift tests skipped: ${skip}`);

const INIT = `create table customers (id serial primary key, name text not null, city text);
create table orders (id serial primary key, customer_id int references customers(id), total numeric(10,2));
create index orders_customer_idx on orders (customer_id);
`;
const NOTES = 'alter table orders add column note text;\n';

describe.skipIf(skip !== undefined)(`schema drift${skip ? ` (skipped: ${skip})` : ''}`, () => {
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

  const production = { environment: 'production', database: 'db' };

  async function migrated() {
    const url = await app.createDatabase();
    const fixture = await databaseFixture(databasePolicy(), { APP_DATABASE_URL: url });
    fixtures.push(fixture);
    fixture.migration('001_init.up.sql', INIT);
    fixture.migration('002_notes.up.sql', NOTES);
    const context = fixture.context();
    await runMigrations(context, production);
    await context.store.write((w) =>
      w.insertRelease({
        version: '1.0.0',
        commit: 'c0ffee1',
        owner: 'olga',
        createdBy: 'olga',
        createdAt: fixture.clock.now().toISOString(),
        artifacts: [],
        contentDigest: 'sha256:x',
      }),
    );
    return { fixture, url, context };
  }

  const driftGate = async (fixture: DatabaseFixture) =>
    (await gatesFor(fixture.context(), { release: '1.0.0', environment: 'production' })).gates.find(
      (g) => g.name === 'drift',
    );

  it('finds none right after the migrations ran, and the gate passes', async () => {
    const { fixture, context } = await migrated();
    expect(await driftGate(fixture)).toMatchObject({ status: 'pending' });
    const check = await checkDrift(context, production);
    expect(check).toMatchObject({ status: 'clean', ledgerVersion: 2, differences: [] });
    expect(await driftGate(fixture)).toMatchObject({ status: 'pass' });
  });

  it('names the objects a manual ALTER TABLE changed, and fails the drift gate', async () => {
    const { fixture, url, context } = await migrated();
    await execSql(
      url,
      'alter table customers add column email text; create index customers_email_idx on customers (email); drop index orders_customer_idx;',
    );
    const check = await checkDrift(context, production);
    expect(check.status).toBe('drifted');
    expect(check.differences.map((d) => `${d.change} ${d.object}`)).toEqual(
      [
        'extra index public.customers_email_idx',
        'missing index public.orders_customer_idx',
        'changed table public.customers',
      ].sort((a, b) => a.slice(a.indexOf(' ') + 1).localeCompare(b.slice(b.indexOf(' ') + 1))),
    );
    const table = check.differences.find((d) => d.object === 'table public.customers');
    expect(table?.live).toContain('email text');
    expect(table?.expected).not.toContain('email');
    const gate = await driftGate(fixture);
    expect(gate).toMatchObject({ status: 'fail' });
    expect(gate?.reason).toContain('extra index public.customers_email_idx');
    expect((await fixture.auditBodies()).join('\n')).toContain('database.drift.detected');
  });

  it('adopts a manual change as the next migration, recorded as applied, that rebuilds the same schema elsewhere', async () => {
    const { fixture, url, context } = await migrated();
    await execSql(
      url,
      `alter table customers add column email text;
       alter table customers alter column city set not null;
       alter table customers alter column city set default 'Recife';
       alter table orders alter column total type numeric(12,2);
       alter table orders add constraint orders_total_positive check (total > 0);
       alter table orders drop column note;
       create unique index customers_email_idx on customers (email);
       create view big_orders as select id, total from orders where total > 100;
       create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
       create trigger orders_touch before update on orders for each row execute function touch();
       drop index orders_customer_idx;
       comment on table customers is 'people who buy';`,
    );
    expect((await checkDrift(context, production)).status).toBe('drifted');
    const outcome = await adoptDrift(context, { ...production, name: 'manual_fix' });
    expect(outcome).toMatchObject({ adopted: true, version: 3 });
    const file = join(fixture.home, 'migrations', '003_manual_fix.up.sql');
    expect(outcome.file).toBe(file);
    const sql = readFileSync(file, 'utf8');
    expect(sql).toContain('ALTER TABLE public.customers ADD COLUMN email text;');
    expect(sql).toContain('ALTER TABLE public.orders DROP COLUMN note;');
    expect(sql).toContain('ALTER TABLE public.orders ALTER COLUMN total TYPE numeric(12,2);');
    expect(sql).toContain('DROP INDEX "public"."orders_customer_idx";');
    expect(sql).toMatch(/Review before committing/);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number; checksum: string }>(
      'select version, checksum from eclusa_migrations order by version',
    );
    await client.end();
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(rows[2]?.checksum).toBe(outcome.run?.migrations[0]?.checksum);
    expect(await checkDrift(context, production)).toMatchObject({
      status: 'clean',
      ledgerVersion: 3,
    });
    expect(await driftGate(fixture)).toMatchObject({ status: 'pass' });

    // Where it never happened by hand, the adopted migration runs like any other.
    const stagingUrl = await app.createDatabase();
    fixture.env['APP_DATABASE_URL'] = stagingUrl;
    const staging = fixture.context();
    const run = await runMigrations(staging, { environment: 'staging', database: 'db' });
    expect(run.migrations.map((m) => m.version)).toEqual([1, 2, 3]);
    expect(await checkDrift(staging, { environment: 'staging', database: 'db' })).toMatchObject({
      status: 'clean',
    });
  });

  it('refuses what it cannot express, writing nothing', async () => {
    const { fixture, url, context } = await migrated();
    // Dropping and re-adding a column moves it to the end: ALTER TABLE cannot put it back.
    await execSql(
      url,
      'alter table customers drop column name; alter table customers add column name text',
    );
    await expect(adoptDrift(context, { ...production, name: 'reorder' })).rejects.toMatchObject({
      code: 'ADOPT_INEXPRESSIBLE',
      kind: 'refused',
      message: expect.stringContaining('table public.customers: its column positions') as string,
    });
    expect(readdirSync(join(fixture.home, 'migrations')).sort()).toEqual([
      '001_init.up.sql',
      '002_notes.up.sql',
    ]);
  });

  it('reports an edited migration file as drift, and adopts nothing while files and ledger disagree', async () => {
    const { fixture, context } = await migrated();
    fixture.migration('002_notes.up.sql', `${NOTES}-- edited\n`);
    const check = await checkDrift(context, production);
    expect(check).toMatchObject({
      status: 'drifted',
      differences: [{ object: 'migration 002_notes.up.sql', change: 'changed' }],
    });
    await expect(adoptDrift(context, { ...production, name: 'x' })).rejects.toMatchObject({
      code: 'MIGRATIONS_DRIFTED',
    });
  });

  it('adopts nothing when there is nothing to adopt, or while migrations are pending', async () => {
    const { fixture, context } = await migrated();
    expect(await adoptDrift(context, { ...production, name: 'nothing' })).toEqual({
      adopted: false,
      statements: [],
    });
    fixture.migration('003_more.up.sql', 'create table more (id int);');
    await expect(adoptDrift(context, { ...production, name: 'x' })).rejects.toMatchObject({
      code: 'ADOPT_PENDING',
    });
    await expect(adoptDrift(context, { ...production, name: 'Bad Name' })).rejects.toMatchObject({
      code: 'ADOPT_NAME',
    });
    expect(existsSync(join(fixture.home, 'migrations', '004_x.up.sql'))).toBe(false);
  });
});
