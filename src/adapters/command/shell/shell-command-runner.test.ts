import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../os/process-table.js';
import { ShellCommandRunner } from './shell-command-runner.js';
import { failureOf } from '../../../../test/support/failure-of.js';

const dir = mkdtempSync(join(tmpdir(), 'eclusa-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runner = new ShellCommandRunner({ killGraceMs: 500 });
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

describe('ShellCommandRunner', () => {
  it('passes each line to onLine as it comes and keeps the exit code, stdout and a tail', async () => {
    const lines: string[] = [];
    const outcome = await runner.run({
      command: 'echo one; echo two >&2; printf "three"; exit 3',
      cwd: dir,
      env,
      timeoutMs: 10_000,
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
    });
    expect(outcome).toMatchObject({ exitCode: 3, timedOut: false, aborted: false });
    expect(lines).toEqual(expect.arrayContaining(['stdout:one', 'stderr:two', 'stdout:three']));
    expect(outcome.stdout).toBe('one\nthree\n');
    expect(outcome.tail).toEqual(expect.arrayContaining(['one', 'two', 'three']));
  });

  it('gives the command only the environment it was given', async () => {
    const outcome = await runner.run({
      command: 'echo "[$ONLY_THIS][$HOME]"',
      cwd: dir,
      env: { ...env, ONLY_THIS: 'yes' },
      timeoutMs: 10_000,
    });
    expect(outcome.stdout.trim()).toBe('[yes][]');
  });

  it('kills the whole process group, grandchildren included, when the timeout fires', async () => {
    const outcome = await runner.run({
      command: 'sleep 300 & echo "child $!"; sleep 300',
      cwd: dir,
      env,
      timeoutMs: 300,
    });
    const grandchild = Number(/child (\d+)/.exec(outcome.stdout)?.[1]);
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(grandchild).toBeGreaterThan(0);
    expect(isProcessAlive(grandchild)).toBe(false);
  });

  it('stops the group when the caller aborts', async () => {
    const controller = new AbortController();
    const running = runner.run({
      command: 'echo started; sleep 300',
      cwd: dir,
      env,
      timeoutMs: 60_000,
      signal: controller.signal,
      onLine: () => controller.abort(),
    });
    const outcome = await running;
    expect(outcome.aborted).toBe(true);
    expect(outcome.timedOut).toBe(false);
  });

  it('stops what the command left in the background, unless asked to keep it', async () => {
    const background = 'sleep 300 >/dev/null 2>&1 & echo "$!"';
    const stopped = await runner.run({ command: background, cwd: dir, env, timeoutMs: 10_000 });
    expect(isProcessAlive(Number(stopped.stdout.trim()))).toBe(false);

    const kept = await runner.run({
      command: background,
      cwd: dir,
      env,
      timeoutMs: 10_000,
      keepBackground: true,
    });
    const pid = Number(kept.stdout.trim());
    try {
      expect(kept.exitCode).toBe(0);
      expect(isProcessAlive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('refuses a working directory that does not exist, naming it', async () => {
    const failure = await failureOf(
      runner.run({ command: 'true', cwd: join(dir, 'nope'), env, timeoutMs: 1_000 }),
    );
    expect(failure.code).toBe('COMMAND_CWD_MISSING');
    expect(failure.message).toContain(join(dir, 'nope'));
  });
});
