import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shellCommandRunner } from './shell-command-runner.js';

/** Running, not a zombie: an orphan's exit is reaped only when PID 1 gets to it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('shellCommandRunner (real processes)', () => {
  it('streams lines, keeps the output and gives the exit code', async () => {
    const lines: string[] = [];
    const result = await shellCommandRunner.run('echo one; echo two >&2; exit 3', {
      cwd: process.cwd(),
      env: { X: '1' },
      signal: new AbortController().signal,
      onLine: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(3);
    expect(lines.sort()).toEqual(['one', 'two']);
  });

  it('kills the whole process group of a command that hangs, grandchildren included', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = shellCommandRunner.run('sleep 300 & echo $!; wait', {
      cwd: process.cwd(),
      env: {},
      signal: controller.signal,
      onLine: (l) => lines.push(l),
    });
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(lines[0]);
    expect(alive(grandchild)).toBe(true);
    controller.abort();
    const result = await running;
    expect(result.exitCode === null || result.exitCode > 0).toBe(true);
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });
});
