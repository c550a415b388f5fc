import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * What the kernel says about processes, read from /proc on Linux. `kill(pid, 0)` alone is not
 * enough here: it succeeds for zombies (an init that does not reap them keeps them forever, as
 * in some containers) and for an unrelated process that reused a recorded pid.
 */
const PROC = '/proc';
const hasProc = process.platform === 'linux' && existsSync(`${PROC}/self/stat`);

interface ProcStat {
  readonly state: string;
  readonly pgid: number;
  readonly startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`${PROC}/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgid: Number(fields[2]), startTime: fields[19] ?? '' };
}

const living = (stat: ProcStat | undefined): stat is ProcStat =>
  stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's start time in clock ticks since boot (Linux), to tell it from a later one with its pid. */
export function processStartTime(pid: number): string | undefined {
  return hasProc ? readStat(pid)?.startTime : undefined;
}

/** Whether `pid` runs (not a zombie) and, when `startTime` is given, is the same process as then. */
export function isProcessAlive(pid: number, startTime?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!hasProc) return signalZero(pid);
  const stat = readStat(pid);
  return living(stat) && (startTime === undefined || stat.startTime === startTime);
}

/** Live members of a process group; on systems without /proc, `[pgid]` when any member answers. */
export function groupMembers(pgid: number): number[] {
  if (!Number.isInteger(pgid) || pgid <= 0) return [];
  if (!hasProc) return signalZero(-pgid) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (living(stat) && stat.pgid === pgid) members.push(Number(entry));
  }
  return members;
}
