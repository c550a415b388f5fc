/**
 * One of several processes extending the same audit chain at once:
 * `node --import tsx concurrent-writer.ts <home or postgres URL> <transactions>`.
 * Each transaction reads the head and appends the next event, which only works if the
 * store serialises writers across processes. The writer says `ready` once its store is
 * open and starts writing at the first line on stdin, so that all writers contend.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { openStore } from '../../src/adapters/store/open-store.js';

export const GENESIS = '0'.repeat(64);

export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

const [target, count] = process.argv.slice(2);
if (target !== undefined && count !== undefined) {
  const store = await openStore(
    target.startsWith('postgres') ? { databaseUrl: target } : { home: target },
  );
  try {
    process.stdout.write('ready\n');
    await once(process.stdin, 'data');
    process.stdin.destroy();
    for (let i = 0; i < Number(count); i++) {
      await store.write(async (writer) => {
        const head = await writer.auditHead();
        const prevHash = head?.hash ?? GENESIS;
        const body = JSON.stringify({ writer: process.pid, i });
        await writer.appendAuditEvent({
          seq: (head?.seq ?? 0) + 1,
          at: new Date().toISOString(),
          kind: 'test.appended',
          subject: `writer:${process.pid}`,
          body,
          prevHash,
          hash: chainHash(prevHash, body),
        });
      });
    }
  } finally {
    await store.close();
  }
}
