/**
 * The slot supervisor: a small process of its own, started detached by the process target,
 * that runs one app command in a process group of its own, appends its output to the
 * version's log, restarts it when it crashes (bounded, with backoff) and keeps the slot's
 * state file. It outlives eclusa, so the app keeps serving while eclusa restarts.
 * Bundled as dist/supervisor.cjs; it imports only node built-ins and these small modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, openSync } from 'node:fs';
import { signalGroup } from '../../os/process-group.js';
import { groupMembers, processStartTime } from '../../os/process-table.js';
import {
  writeSlotState,
  type RestartRecord,
  type SlotState,
  type SupervisorSpec,
} from './slot-state.js';

const SPEC_VARIABLE = 'ECLUSA_SUPERVISOR_SPEC';

function readSpec(): SupervisorSpec {
  const text = process.env[SPEC_VARIABLE];
  if (text === undefined) {
    process.stderr.write(
      `eclusa supervisor: ${SPEC_VARIABLE} is not set; the process target starts me\n`,
    );
    process.exit(2);
  }
  return JSON.parse(text) as SupervisorSpec;
}

const spec = readSpec();
const appEnv = { ...process.env };
delete appEnv[SPEC_VARIABLE];

const logFd = openSync(spec.identity.logFile, 'a', 0o600);
const note = (text: string): void =>
  appendFileSync(logFd, `[eclusa supervisor ${new Date().toISOString()}] ${text}\n`);

let state: SlotState = {
  format: 1,
  ...spec.identity,
  phase: 'running',
  supervisor: { pid: process.pid, ...startTime(process.pid) },
  startedAt: new Date().toISOString(),
  restarts: [],
};
let child: ChildProcess | undefined;
let stopping = false;
let crashes = 0;
let restartTimer: NodeJS.Timeout | undefined;

function startTime(pid: number): { startTime?: string } {
  const ticks = processStartTime(pid);
  return ticks === undefined ? {} : { startTime: ticks };
}

function save(change: Partial<SlotState>): void {
  state = { ...state, ...change };
  writeSlotState(spec.stateFile, state);
}

function launch(): void {
  restartTimer = undefined;
  const launchedAt = Date.now();
  const app = spawn('/bin/sh', ['-c', spec.command], {
    cwd: spec.cwd,
    env: appEnv,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  child = app;
  const pid = app.pid ?? 0;
  save({ phase: 'running', app: { pid, ...startTime(pid) } });
  note(`started pid ${pid} on port ${spec.identity.port}: ${spec.command}`);
  app.once('error', (error) => note(`could not start the command: ${error.message}`));
  app.once('exit', (code, signal) => onExit(pid, launchedAt, code, signal));
}

function onExit(
  pgid: number,
  launchedAt: number,
  exitCode: number | null,
  signal: string | null,
): void {
  child = undefined;
  // What the app left in its group (a worker, a shell's child) would hold the port: gone with it.
  if (groupMembers(pgid).length > 0) signalGroup(pgid, 'SIGKILL');
  const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
  if (stopping) {
    note(`app ${how}; stopped`);
    save({ phase: 'stopped' });
    process.exit(0);
  }
  if (Date.now() - launchedAt >= spec.restart.resetAfterMs) crashes = 0;
  crashes += 1;
  const record: RestartRecord = { at: new Date().toISOString(), exitCode, signal };
  const restarts = [...state.restarts, record].slice(-20);
  if (crashes > spec.restart.max) {
    const reason = `the app ${how} ${crashes} times in a row; the supervisor gave up`;
    note(reason);
    save({ phase: 'failed', restarts, reason });
    process.exit(1);
  }
  const { backoffMs, maxBackoffMs, max } = spec.restart;
  const wait = Math.min(backoffMs * 2 ** (crashes - 1), maxBackoffMs);
  note(`app ${how}; restart ${crashes} of ${max} in ${wait} ms`);
  save({ phase: 'restarting', restarts, reason: `restarting: the app ${how}` });
  restartTimer = setTimeout(launch, wait);
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  note(`${signal}: stopping the app`);
  if (restartTimer !== undefined) clearTimeout(restartTimer);
  const pgid = child?.pid;
  if (pgid === undefined) {
    save({ phase: 'stopped' });
    process.exit(0);
  }
  signalGroup(pgid, 'SIGTERM');
  setTimeout(() => {
    note(`the app did not stop within ${spec.stopGraceMs} ms: SIGKILL`);
    signalGroup(pgid, 'SIGKILL');
  }, spec.stopGraceMs).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
// No terminal to lose, but a session leader must not die of one closing.
process.on('SIGHUP', () => undefined);
process.on('uncaughtException', (error) => {
  note(`supervisor error: ${error.stack ?? error.message}`);
  if (child?.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  save({ phase: 'failed', reason: `the supervisor failed: ${error.message}` });
  process.exit(1);
});
launch();
