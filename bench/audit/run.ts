/**
 * The audit log's throughput: appends on SQLite and PostgreSQL (through `AuditLog`, in
 * transactions as commands make them), and `verifyAudit` over a large SQLite log, hash
 * chain and checkpoint signatures included. Prints the figures and the machine.
 *
 *   BENCH_APPENDS (default 20,000)   appends per store, in transactions of BENCH_TX (100)
 *   BENCH_EVENTS  (default 1,000,000) events in the verified log
 *   BENCH_RUNS    (default 5)         verification runs; the best and the median are shown
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { keySigner } from '../../src/adapters/keys/file-signer.js';
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { sampleEvent } from '../../src/core/audit/testing/sample-events.js';
import { verifyAudit } from '../../src/core/audit/verify-audit.js';
import type { Store } from '../../src/core/store/store.js';
import { systemClock } from '../../src/core/time/clock.js';
import { startPostgres } from '../../test/support/postgres-server.js';
import { populateSqliteLog } from './populate-sqlite-log.js';

const appends = Number(process.env['BENCH_APPENDS'] ?? 20_000);
const perTransaction = Number(process.env['BENCH_TX'] ?? 100);
const events = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);

const signer = keySigner(generateKeyPairSync('ed25519').privateKey);
const rate = (count: number, seconds: number): string =>
  `${Math.round(count / seconds).toLocaleString('en-US')} events/s`;

// The load average says how much of the machine other work was using meanwhile.
const machine = () =>
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`;
console.log(`machine: ${machine()}`);

async function appendThroughput(store: Store): Promise<string> {
  const log = new AuditLog({ clock: systemClock, signer });
  const started = performance.now();
  for (let done = 0; done < appends; done += perTransaction) {
    const batch = Array.from({ length: Math.min(perTransaction, appends - done) }, (_, i) =>
      sampleEvent(done + i),
    );
    await store.write((writer) => log.appendAll(writer, batch));
  }
  const seconds = (performance.now() - started) / 1000;
  const verdict = await store.read((reader) =>
    verifyAudit(reader, { trustedKeys: [signer.publicKeyPem] }),
  );
  if (!verdict.ok || verdict.events !== appends) throw new Error('appended log does not verify');
  return `${appends.toLocaleString('en-US')} appends in transactions of ${perTransaction}: ${seconds.toFixed(2)} s = ${rate(appends, seconds)}`;
}

const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-audit-'));
try {
  const sqlite = await openSqliteStore({ home: join(home, 'append') });
  console.log(`append, SQLite:      ${await appendThroughput(sqlite)}`);
  await sqlite.close();

  const postgres = await startPostgres();
  if ('skip' in postgres) {
    console.log(`append, PostgreSQL:  skipped (${postgres.skip})`);
  } else {
    try {
      const store = await openPostgresStore({ url: postgres.url });
      console.log(`append, PostgreSQL:  ${await appendThroughput(store)}`);
      await store.close();
    } finally {
      await postgres.stop();
    }
  }

  const verifyHome = join(home, 'verify');
  const store = await openSqliteStore({ home: verifyHome });
  const populated = performance.now();
  const checkpoints = populateSqliteLog(join(verifyHome, 'eclusa.db'), events, signer);
  console.log(
    `populated ${events.toLocaleString('en-US')} events and ${checkpoints} checkpoints in ${((performance.now() - populated) / 1000).toFixed(1)} s`,
  );
  // As `eclusa audit verify` runs (a worker thread checks hashes beside the store read when
  // the log is large), then on one thread for comparison; runs alternate between the two.
  const modes = [
    { label: 'verify, SQLite:     ', parallel: undefined, seconds: [] as number[] },
    { label: '  on one thread:    ', parallel: false, seconds: [] as number[] },
  ];
  for (let run = 1; run <= runs; run++) {
    for (const mode of modes) {
      const started = performance.now();
      const verdict = await store.read((reader) =>
        verifyAudit(reader, {
          trustedKeys: [signer.publicKeyPem],
          ...(mode.parallel === undefined ? {} : { parallel: mode.parallel }),
        }),
      );
      mode.seconds.push((performance.now() - started) / 1000);
      if (!verdict.ok || verdict.events !== events) {
        throw new Error(`verification failed: ${JSON.stringify(verdict)}`);
      }
    }
  }
  for (const { label, seconds } of modes) {
    seconds.sort((a, b) => a - b);
    const best = seconds[0]!;
    const median = seconds[Math.floor(seconds.length / 2)]!;
    console.log(
      `${label} ${events.toLocaleString('en-US')} events, ${checkpoints} signed checkpoints: ` +
        `best ${best.toFixed(2)} s = ${rate(events, best)}, median ${median.toFixed(2)} s = ${rate(events, median)} (${runs} runs)`,
    );
  }
  console.log(`machine: ${machine()}`);
  await store.close();
} finally {
  rmSync(home, { recursive: true, force: true });
}
