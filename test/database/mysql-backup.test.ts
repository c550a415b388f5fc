import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/services/backup-service.js';
import { runDrill } from '../../src/core/services/drill-service.js';
import {
  MARIADB_PASSWORD,
  findMariadb,
  startMariadb,
  type MariadbServer,
} from '../support/mariadb-server.js';
import { databaseFixture, databasePolicy, type DatabaseFixture } from './database-fixture.js';

const found = findMariadb();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`MariaDB backup tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  `backups and drills against MariaDB${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: MariadbServer;
    const fixtures: DatabaseFixture[] = [];

    beforeAll(async () => {
      const started = await startMariadb();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
    });
    afterAll(async () => {
      for (const fixture of fixtures) await fixture.close();
      await server?.stop();
    });

    async function seeded() {
      const url = await server.createDatabase();
      await server.sql(
        `CREATE TABLE schools (id INT PRIMARY KEY, name VARCHAR(100), logo BLOB);
       INSERT INTO schools VALUES (1, 'Escola Ana', x'89504e47'), (2, 'Escola Bia', NULL);
       CREATE TABLE visits (id INT PRIMARY KEY, school_id INT, at DATETIME);
       INSERT INTO visits VALUES (1, 1, '2026-11-20 10:00:00'), (2, 2, '2026-11-21 11:30:00');`,
        new URL(url).pathname.slice(1),
      );
      const fixture = await databaseFixture(databasePolicy({ engine: 'mysql' }), {
        APP_DATABASE_URL: url,
      });
      fixtures.push(fixture);
      return fixture;
    }

    it('dumps with mysqldump, verifies the file, and a drill restores the same rows', async () => {
      const fixture = await seeded();
      const context = fixture.context();
      const { backup } = await runBackup(context, { environment: 'production', database: 'db' });
      expect(backup).toMatchObject({
        status: 'verified',
        engine: 'mysql',
        toolVersion: expect.stringContaining('mysqldump') as string,
        serverVersion: expect.stringContaining('MariaDB') as string,
        entries: 2,
      });
      expect(backup.file).toMatch(/\.sql$/);
      expect(backup.tables?.map((t) => [t.table, t.rows])).toEqual([
        ['schools', 2],
        ['visits', 2],
      ]);
      fixture.clock.advance(10 * 60_000);
      const drill = await runDrill(context, { environment: 'production', database: 'db' });
      expect(drill).toMatchObject({
        status: 'passed',
        tablesCompared: 2,
        mismatches: [],
        rpoMs: 10 * 60_000,
      });
      expect(await server.sql("SHOW DATABASES LIKE 'eclusa\\_drill%'")).toBe('');
    });

    it('a wrong password fails the backup, keeps no file and never shows the password', async () => {
      const fixture = await seeded();
      fixture.env['APP_DATABASE_URL'] = fixture.env['APP_DATABASE_URL']!.replace(
        MARIADB_PASSWORD,
        'wrong-maria-pw',
      );
      await expect(
        runBackup(fixture.context(), { environment: 'production', database: 'db' }),
      ).rejects.toMatchObject({ code: 'DATABASE_AUTH_FAILED' });
      const records = await fixture.store.read((r) => r.listBackups());
      expect(records).toMatchObject([{ status: 'failed' }]);
      expect(JSON.stringify(records) + (await fixture.auditBodies()).join('')).not.toContain(
        'wrong-maria-pw',
      );
      expect(readdirSync(join(fixture.home, 'backups'))).toEqual([]);
    });
  },
);
