import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/database/database.js';

/** What the contract needs from an adapter's test file: a real server and a way to seed it. */
export interface DatabaseContractHarness {
  /** A Database over a new, empty database on the server. */
  fresh(): Promise<Database>;
  /** Runs SQL as an administrator in the named database. */
  exec(database: string, sql: string): Promise<void>;
  /** The name `tableStats` gives an unqualified table (`public.x` for PostgreSQL). */
  table(name: string): string;
  /** A Database on the same server with a wrong password; the password it sends is `password`. */
  wrongPassword(database: Database): { database: Database; password: string };
  /** A Database pointed at a port nobody listens on. */
  unreachable(): Database;
}

const SEED = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100), note VARCHAR(200));
INSERT INTO customers VALUES (1, 'ana', 'x'), (2, 'bruno', NULL), (3, 'çé ✓', 'a|b');
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total DECIMAL(10, 2));
INSERT INTO orders VALUES (1, 1, 10.50), (2, 1, 3.00), (3, 3, 99.99);
CREATE TABLE empty_table (id INTEGER PRIMARY KEY);
`;

let scratchCount = 0;
const scratch = (): string => `eclusa_contract_${process.pid}_${++scratchCount}`;

/** The contract every Database adapter passes against its real server. */
export function describeDatabaseContract(
  name: string,
  harness: () => DatabaseContractHarness,
): void {
  describe(`Database contract: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'eclusa-db-contract-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const seeded = async (): Promise<Database> => {
      const database = await harness().fresh();
      await harness().exec(database.name, SEED);
      return database;
    };

    it('reports the server version', async () => {
      const database = await harness().fresh();
      expect(await database.serverVersion()).toMatch(/^\d+\.\d+/);
    });

    it('backs up with row counts and checksums, validates, and restores the same data', async () => {
      const h = harness();
      const database = await seeded();
      const file = join(dir, `${database.name}.dump`);
      const dump = await database.backup(file);
      expect(statSync(file).size).toBeGreaterThan(0);
      expect(dump.serverVersion).toBe(await database.serverVersion());
      expect(dump.toolVersion).not.toBe('');
      const byTable = new Map(dump.tables?.map((t) => [t.table, t]));
      expect(byTable.get(h.table('customers'))?.rows).toBe(3);
      expect(byTable.get(h.table('orders'))?.rows).toBe(3);
      expect(byTable.get(h.table('empty_table'))?.rows).toBe(0);
      expect((await database.validate(file)).entries).toBeGreaterThanOrEqual(3);

      const copy = scratch();
      await database.createDatabase(copy);
      try {
        await database.restore(file, copy);
        expect(await database.tableStats(copy)).toEqual(dump.tables);
      } finally {
        await database.dropDatabase(copy);
      }
      // Dropping what is gone does nothing.
      await database.dropDatabase(copy);
    });

    it('gives equal checksums for equal rows in any order, and different ones for any change', async () => {
      const h = harness();
      const a = await seeded();
      const b = await harness().fresh();
      await h.exec(
        b.name,
        SEED.replace(
          "(1, 'ana', 'x'), (2, 'bruno', NULL), (3, 'çé ✓', 'a|b')",
          "(3, 'çé ✓', 'a|b'), (1, 'ana', 'x'), (2, 'bruno', NULL)",
        ),
      );
      const customers = async (database: Database) =>
        (await database.tableStats()).find((t) => t.table === h.table('customers'));
      const original = await customers(a);
      expect(await customers(b)).toEqual(original);
      // NULL and empty text are different values.
      await h.exec(b.name, "UPDATE customers SET note = '' WHERE id = 2");
      expect((await customers(b))?.checksum).not.toBe(original?.checksum);
      // Moving a separator between columns is a change too.
      await h.exec(b.name, 'UPDATE customers SET note = NULL WHERE id = 2');
      expect(await customers(b)).toEqual(original);
      await h.exec(b.name, "UPDATE customers SET name = 'ana|x', note = NULL WHERE id = 1");
      expect((await customers(b))?.checksum).not.toBe(original?.checksum);
      expect((await customers(b))?.rows).toBe(3);
    });

    it('refuses a truncated or foreign file as DUMP_INVALID', async () => {
      const database = await seeded();
      const file = join(dir, `${database.name}-cut.dump`);
      await database.backup(file);
      truncateSync(file, Math.floor(statSync(file).size / 2));
      await expect(database.validate(file)).rejects.toMatchObject({ code: 'DUMP_INVALID' });
      const foreign = join(dir, 'foreign.dump');
      writeFileSync(foreign, 'not a dump at all\n');
      await expect(database.validate(foreign)).rejects.toMatchObject({ code: 'DUMP_INVALID' });
    });

    it('prints the schema without the data', async () => {
      const database = await seeded();
      const schema = await database.schemaDump();
      expect(schema).toMatch(/CREATE TABLE [^\n]*customers/);
      expect(schema).not.toContain('bruno');
    });

    it('creates a database once and refuses names it cannot quote safely', async () => {
      const database = await harness().fresh();
      const name = scratch();
      await database.createDatabase(name);
      try {
        await expect(database.createDatabase(name)).rejects.toThrow();
      } finally {
        await database.dropDatabase(name);
      }
      await expect(database.createDatabase('bad"; drop')).rejects.toMatchObject({
        code: 'DATABASE_NAME_INVALID',
      });
    });

    it('names a wrong password without showing it, and an unreachable server as retryable', async () => {
      const database = await seeded();
      const { database: wrong, password } = harness().wrongPassword(database);
      const file = join(dir, `${database.name}-denied.dump`);
      const denied = await wrong.backup(file).then(
        () => undefined,
        (error: unknown) => error as { code: string; message: string; retryable: boolean },
      );
      expect(denied?.code).toBe('DATABASE_AUTH_FAILED');
      expect(denied?.message).not.toContain(password);
      const unreachable = await harness()
        .unreachable()
        .backup(join(dir, 'unreachable.dump'))
        .then(
          () => undefined,
          (error: unknown) => error as { code: string; retryable: boolean },
        );
      expect(unreachable).toMatchObject({ code: 'DATABASE_UNREACHABLE', retryable: true });
    });
  });
}
