import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/store.js';
import {
  findPostgres,
  startPostgres,
  type PostgresServer,
} from '../../../../test/support/postgres-server.js';
import { describeStoreContract } from '../store-contract.case.js';
import { postgresLocation } from './postgres-location.js';
import { openPostgresStore } from './postgres-store.js';

const found = findPostgres();
const skip = 'skip' in found ? found.skip : undefined;
if (skip) console.warn(`PostgreSQL store tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(`PostgreSQL store${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: PostgresServer;
  const urls = new Map<Store, string>();

  beforeAll(async () => {
    const started = await startPostgres();
    if ('skip' in started) throw new Error(started.skip);
    server = started;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeStoreContract('postgres', async (sameStorageAs?: Store) => {
    const url = sameStorageAs ? urls.get(sameStorageAs)! : await server.createDatabase();
    const store = await openPostgresStore({ url });
    urls.set(store, url);
    return store;
  });

  it('never shows the password in its location', async () => {
    const url = new URL(await server.createDatabase());
    url.password = 's3cret-pw';
    const store = await openPostgresStore({ url: url.toString() });
    try {
      expect(store.kind).toBe('postgres');
      expect(store.location).not.toContain('s3cret-pw');
      expect(store.location).toContain(url.host);
    } finally {
      await store.close();
    }
  });
});

describe('postgresLocation', () => {
  it('removes the password from the userinfo and the query', () => {
    expect(postgresLocation('postgres://eclusa:pw@db.internal:5432/eclusa')).toBe(
      'postgres://eclusa@db.internal:5432/eclusa',
    );
    expect(postgresLocation('postgresql://db/eclusa?user=eclusa&password=pw&sslmode=require')).toBe(
      'postgresql://db/eclusa?user=eclusa&sslmode=require',
    );
    expect(postgresLocation('not a url with password=pw')).not.toContain('pw');
  });
});
