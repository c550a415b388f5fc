import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databasePolicy } from '../database/database-fixture.js';
import { APP_PASSWORD, appRole, execSql, type AppRole } from '../support/postgres-app-role.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { runBin, runCli, type CliResult } from './run-cli.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`database CLI tests skipped: ${skip}`);

interface JsonError {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string };
}

describe.skipIf(skip !== undefined)(
  `eclusa backup / migrate${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PostgresServer;
    let app: AppRole;
    let home = '';
    let url = '';
    const homes: string[] = [];

    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
      app = await appRole(server);
    });
    afterAll(async () => {
      for (const dir of homes) rmSync(dir, { recursive: true, force: true });
      await server?.stop();
    });
    beforeEach(async () => {
      home = mkdtempSync(join(tmpdir(), 'eclusa-db-cli-'));
      homes.push(home);
      mkdirSync(join(home, 'migrations'));
      writeFileSync(join(home, 'eclusa.yaml'), databasePolicy());
      url = await app.createDatabase();
      await execSql(
        url,
        "create table customers (id serial primary key, name text); insert into customers (name) values ('ana'), ('bia')",
      );
    });

    const env = (actor: string, extra: Record<string, string> = {}) => ({
      ECLUSA_HOME: join(home, '.eclusa'),
      ECLUSA_POLICY: join(home, 'eclusa.yaml'),
      ECLUSA_ACTOR: actor,
      APP_DATABASE_URL: url,
      ...extra,
    });
    const cli = (actor: string, ...argv: string[]): Promise<CliResult> =>
      runCli(argv, { cwd: home, env: env(actor) });
    const json = <T>(result: CliResult): T => JSON.parse(result.stdout) as T;
    const migration = (file: string, sql: string) =>
      writeFileSync(join(home, 'migrations', file), sql);

    it('backup run / list / drill: exit 0 with one JSON document each', async () => {
      const run = await cli('ana', 'backup', 'run', '--env', 'production', '--json');
      expect(run.code).toBe(0);
      const { backups } = json<{
        ok: boolean;
        backups: { id: string; status: string; file: string }[];
      }>(run);
      expect(backups).toHaveLength(1);
      expect(backups[0]).toMatchObject({ status: 'verified' });
      expect(readdirSync(join(home, '.eclusa', 'backups'))).toHaveLength(1);

      const list = await cli('ana', 'backup', 'list', '--json');
      expect(list.code).toBe(0);
      expect(json<{ backups: { id: string }[] }>(list).backups.map((b) => b.id)).toEqual([
        backups[0]?.id,
      ]);

      const drill = await cli('ana', 'backup', 'drill', '--env', 'production', '--json');
      expect(drill.code).toBe(0);
      expect(
        json<{ ok: boolean; drills: { status: string; tablesCompared: number }[] }>(drill),
      ).toMatchObject({
        ok: true,
        drills: [{ status: 'passed', tablesCompared: 1 }],
      });

      const text = await cli('ana', 'backup', 'run', '--env', 'staging', '--database', 'db');
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        /^backed up db \(staging\) to .*\.dump: .* verified, 1 table\(s\) counted/,
      );
      for (const result of [run, list, drill, text])
        expect(result.stdout + result.stderr).not.toContain(APP_PASSWORD);
    });

    it('exit 5 for a failed backup, without the password anywhere; exit 2 for bad input', async () => {
      const wrong = app.withPassword(url, 'wrong-pw-777');
      const failed = await runCli(['backup', 'run', '--env', 'production', '--json'], {
        cwd: home,
        env: env('ana', { APP_DATABASE_URL: wrong }),
      });
      expect(failed.code).toBe(5);
      expect(json<JsonError>(failed).error.code).toBe('DATABASE_AUTH_FAILED');
      expect(failed.stdout + failed.stderr).not.toContain('wrong-pw-777');

      const unknownEnv = await cli('ana', 'backup', 'run', '--env', 'prod', '--json');
      expect([unknownEnv.code, json<JsonError>(unknownEnv).error.code]).toEqual([
        2,
        'UNKNOWN_ENVIRONMENT',
      ]);
      const unknownDb = await cli(
        'ana',
        'backup',
        'run',
        '--env',
        'production',
        '--database',
        'api',
        '--json',
      );
      expect([unknownDb.code, json<JsonError>(unknownDb).error.code]).toEqual([
        2,
        'UNKNOWN_DATABASE',
      ]);
      const noSecret = await runCli(['backup', 'run', '--env', 'production'], {
        cwd: home,
        env: { ...env('ana'), APP_DATABASE_URL: undefined },
      });
      expect(noSecret.code).toBe(2);
      expect(noSecret.stderr).toContain('SECRET_MISSING');
      const noBackup = await cli('ana', 'backup', 'drill', '--env', 'staging', '--json');
      expect([noBackup.code, json<JsonError>(noBackup).error.code]).toEqual([2, 'NO_BACKUP']);
    });

    it('backup restore: exit 3 without a DBA’s approval or by its approver, exit 0 with it', async () => {
      expect((await cli('ana', 'backup', 'run', '--env', 'production')).code).toBe(0);
      await execSql(url, 'delete from customers');
      const refused = await cli(
        'otto',
        'backup',
        'restore',
        '--env',
        'production',
        '--database',
        'db',
        '--json',
      );
      expect([refused.code, json<JsonError>(refused).error.code]).toEqual([
        3,
        'RESTORE_NOT_APPROVED',
      ]);

      const outsider = await cli(
        'otto',
        'backup',
        'approve-restore',
        '--env',
        'production',
        '--database',
        'db',
        '--reason',
        'x',
      );
      expect(outsider.code).toBe(3);
      const approved = await cli(
        'dora',
        'backup',
        'approve-restore',
        '--env',
        'production',
        '--database',
        'db',
        '--reason',
        'customers deleted by 2.3.0',
        '--json',
      );
      expect(approved.code).toBe(0);
      expect(json<{ role: string; approvedBy: string }>(approved)).toMatchObject({
        role: 'dba',
        approvedBy: 'dora',
      });
      const self = await cli(
        'dora',
        'backup',
        'restore',
        '--env',
        'production',
        '--database',
        'db',
        '--json',
      );
      expect([self.code, json<JsonError>(self).error.code]).toEqual([3, 'SELF_APPROVAL']);

      const restored = await cli(
        'otto',
        'backup',
        'restore',
        '--env',
        'production',
        '--database',
        'db',
        '--json',
      );
      expect(restored.code).toBe(0);
      expect(json<{ status: string; approvedBy: string }>(restored)).toMatchObject({
        status: 'succeeded',
        approvedBy: 'dora',
      });
      const list = json<{ backups: { reason?: string }[] }>(
        await cli('ana', 'backup', 'list', '--json'),
      );
      expect(list.backups[0]?.reason).toMatch(/^state before restoring bkp_/);
    });

    it('migrate status / up / down: exit 0, 3 when files and ledger disagree, 5 when a migration fails', async () => {
      migration('001_orders.up.sql', 'create table orders (id serial primary key);');
      migration('001_orders.down.sql', 'drop table orders;');
      const pending = await cli('ana', 'migrate', 'status', '--env', 'production', '--json');
      expect(pending.code).toBe(0);
      expect(
        json<{ databases: { pending: number; entries: { state: string }[] }[] }>(pending)
          .databases[0],
      ).toMatchObject({
        pending: 1,
        entries: [{ state: 'pending' }],
      });
      const up = await cli('ana', 'migrate', 'up', '--env', 'production', '--json');
      expect(up.code).toBe(0);
      expect(
        json<{ runs: { migrations: { version: number }[] }[] }>(up).runs[0]?.migrations,
      ).toMatchObject([{ version: 1 }]);

      migration('001_orders.up.sql', 'create table orders (id bigserial primary key);');
      const drifted = await cli('ana', 'migrate', 'status', '--env', 'production');
      expect(drifted.code).toBe(3);
      expect(drifted.stdout).toContain('001_orders.up.sql was edited after it was applied');
      const refused = await cli('ana', 'migrate', 'up', '--env', 'production', '--json');
      expect([refused.code, json<JsonError>(refused).error.code]).toEqual([
        3,
        'MIGRATIONS_DRIFTED',
      ]);
      migration('001_orders.up.sql', 'create table orders (id serial primary key);');

      migration('002_broken.up.sql', 'insert into nowhere values (1);');
      const broken = await cli('ana', 'migrate', 'up', '--env', 'production', '--json');
      expect([broken.code, json<JsonError>(broken).error.code]).toEqual([5, 'MIGRATION_FAILED']);
      rmSync(join(home, 'migrations', '002_broken.up.sql'));

      const badSteps = await cli('ana', 'migrate', 'down', '--env', 'production', '--steps', 'two');
      expect(badSteps.code).toBe(2);
      const down = await cli('ana', 'migrate', 'down', '--env', 'production', '--steps', '1');
      expect(down.code).toBe(0);
      expect(down.stdout).toContain('reverted 1_orders');
    });

    it('migrate drift / adopt: exit 3 on drift, then the adopted migration makes it clean', async () => {
      // Only what the migrations created, so the schema starts without drift.
      await execSql(url, 'drop table customers');
      migration('001_orders.up.sql', 'create table orders (id serial primary key);');
      expect((await cli('ana', 'migrate', 'up', '--env', 'production')).code).toBe(0);
      const clean = await cli('ana', 'migrate', 'drift', '--env', 'production', '--json');
      expect(clean.code).toBe(0);
      await execSql(url, 'alter table orders add column total numeric');
      const drift = await cli('ana', 'migrate', 'drift', '--env', 'production');
      expect(drift.code).toBe(3);
      expect(drift.stdout).toContain('changed table public.orders');
      const adopt = await cli(
        'ana',
        'migrate',
        'adopt',
        '--env',
        'production',
        '--name',
        'orders_total',
        '--json',
      );
      expect(adopt.code).toBe(0);
      expect(json<{ adopted: boolean; version: number }>(adopt)).toMatchObject({
        adopted: true,
        version: 2,
      });
      expect(readdirSync(join(home, 'migrations')).sort()).toEqual([
        '001_orders.up.sql',
        '002_orders_total.up.sql',
      ]);
      expect((await cli('ana', 'migrate', 'drift', '--env', 'production')).code).toBe(0);
    });

    it('runs from the built bundle too (npm run build), SQL parser included', () => {
      migration('001_orders.up.sql', 'create table orders (id serial primary key);');
      const up = runBin(['migrate', 'up', '--env', 'staging', '--json'], {
        cwd: home,
        env: env('ana'),
      });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const backup = runBin(['backup', 'run', '--env', 'staging', '--json'], {
        cwd: home,
        env: env('ana'),
      });
      expect(backup.code).toBe(0);
      expect(JSON.parse(backup.stdout)).toMatchObject({
        ok: true,
        backups: [{ status: 'verified' }],
      });
    });
  },
);
