import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenStoreOptions } from '../../src/adapters/store/open-store.js';
import type { AuditEventRecord } from '../../src/core/store/records.js';
import { findPostgres, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { chainHash, GENESIS } from './concurrent-writer.js';

const WRITER = new URL('./concurrent-writer.ts', import.meta.url).pathname;
const PROCESSES = 4;
const TRANSACTIONS = 200;

/**
 * Starts the writer processes together (each opens the store, then all start writing at
 * the same signal); resolves when all have exited, rejects if one failed.
 */
async function runWriters(target: string): Promise<void> {
  const writers = Array.from({ length: PROCESSES }, () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WRITER, target, String(TRANSACTIONS)],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const failed = (code: number | null) => new Error(`writer exited with ${code}:\n${stderr}`);
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(failed(code)));
    });
    const exited = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(failed(code))));
    });
    return { child, ready, exited };
  });
  try {
    await Promise.all(writers.map((writer) => writer.ready));
    for (const { child } of writers) child.stdin.end('go\n');
  } finally {
    await Promise.allSettled(writers.map((writer) => writer.exited));
  }
  await Promise.all(writers.map((writer) => writer.exited));
}

/** Every event in order, checked to form one unbroken chain from the genesis hash. */
async function expectOneChain(options: OpenStoreOptions): Promise<void> {
  const store = await openStore(options);
  try {
    const events: AuditEventRecord[] = await store.read(async (reader) => {
      const all: AuditEventRecord[] = [];
      for await (const batch of reader.iterateAuditEvents(1)) all.push(...batch);
      return all;
    });
    const total = PROCESSES * TRANSACTIONS;
    expect(events.map((event) => event.seq)).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    let prevHash = GENESIS;
    for (const event of events) {
      expect(event.prevHash).toBe(prevHash);
      expect(event.hash).toBe(chainHash(event.prevHash, event.body));
      prevHash = event.hash;
    }
    const perWriter = new Map<string, number>();
    for (const event of events)
      perWriter.set(event.subject, (perWriter.get(event.subject) ?? 0) + 1);
    expect([...perWriter.values()]).toEqual(Array(PROCESSES).fill(TRANSACTIONS));
  } finally {
    await store.close();
  }
}

describe(`${PROCESSES} processes × ${TRANSACTIONS} write transactions on one store`, () => {
  it('SQLite: a fresh home ends with one unbroken chain of every event', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eclusa-concurrent-'));
    try {
      const home = join(root, 'home');
      await runWriters(home);
      await expectOneChain({ home });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const found = findPostgres();
  const skip = 'skip' in found ? found.skip : undefined;
  if (skip) console.warn(`PostgreSQL concurrency test skipped: ${skip}`);

  describe.skipIf(skip !== undefined)(`PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let server: PostgresServer;
    beforeAll(async () => {
      const started = await startPostgres();
      if ('skip' in started) throw new Error(started.skip);
      server = started;
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('a fresh database ends with one unbroken chain of every event', async () => {
      await runWriters(server.url);
      await expectOneChain({ databaseUrl: server.url });
    });
  });
});
