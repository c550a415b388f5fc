import { closeSync, openSync, readSync, statSync } from 'node:fs';

const WINDOW_BYTES = 64 * 1024;

/** Size of a file now, or 0: where the lines of the next start will begin. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last `count` lines written to `file` after byte `from`. */
export function readLogTail(file: string, from: number, count: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const end = statSync(file).size;
    const start = Math.max(from, end - WINDOW_BYTES);
    const buffer = Buffer.alloc(Math.max(0, end - start));
    readSync(fd, buffer, 0, buffer.length, start);
    return buffer
      .toString('utf8')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-count);
  } finally {
    closeSync(fd);
  }
}
