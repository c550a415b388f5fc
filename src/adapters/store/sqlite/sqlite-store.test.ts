import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/store.js';
import { storeMigrations } from '../migrations/store-migrations.js';
import { describeStoreContract } from '../store-contract.case.js';
import { openSqliteStore } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'eclusa-sqlite-store-'));
let homes = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreContract('sqlite', (sameStorageAs?: Store) =>
  openSqliteStore({
    home: sameStorageAs ? dirname(sameStorageAs.location) : join(root, `home-${++homes}`),
  }),
);

describe('openSqliteStore', () => {
  it('creates the home directory and eclusa.db in WAL mode', async () => {
    const home = join(root, 'nested', 'home');
    const store = await openSqliteStore({ home });
    try {
      expect(store.kind).toBe('sqlite');
      expect(store.location).toBe(join(home, 'eclusa.db'));
      expect(existsSync(store.location)).toBe(true);
      const db = new BetterSqlite3(store.location, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.prepare('select version, name from eclusa_migrations').all()).toEqual(
          storeMigrations.map(({ version, name }) => ({ version, name })),
        );
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });

  it('refuses a store whose schema is newer than this eclusa', async () => {
    const home = join(root, 'newer');
    await (await openSqliteStore({ home })).close();
    const db = new BetterSqlite3(join(home, 'eclusa.db'));
    db.prepare(
      "insert into eclusa_migrations values (99, 'future', '2030-01-01T00:00:00.000Z')",
    ).run();
    db.close();
    await expect(openSqliteStore({ home })).rejects.toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
  });
});
