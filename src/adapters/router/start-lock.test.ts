import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, withStartLock } from './start-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'eclusa-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withStartLock', () => {
  it('lets one holder in at a time', async () => {
    const lock = join(dir, 'a.lock');
    let inside = 0;
    let most = 0;
    const hold = () =>
      withStartLock(lock, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await delay(5);
        inside -= 1;
      });
    await Promise.all([hold(), hold(), hold(), hold()]);
    expect(most).toBe(1);
  });

  it('takes over at once a lock whose holder died', async () => {
    const lock = join(dir, 'b.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(lock, dead.stdout);
    expect(isAlive(Number(dead.stdout))).toBe(false);
    expect(await withStartLock(lock, () => Promise.resolve('taken'), 1_000)).toBe('taken');
  });

  it('gives up with a retryable error while a live holder keeps it', async () => {
    const lock = join(dir, 'c.lock');
    writeFileSync(lock, String(process.pid));
    await expect(withStartLock(lock, () => Promise.resolve('never'), 50)).rejects.toMatchObject({
      code: 'ROUTER_START_LOCKED',
      retryable: true,
    });
  });
});
