import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { runTool, type ToolResult, type ToolRun } from './tool-process.js';

const BUFFER_BYTES = 16 * 1024 * 1024;

export interface StreamedDump {
  readonly dump: ToolResult;
  readonly check: ToolResult;
  /** What failed first, which stopped the rest; `stopped`: the caller's signal. */
  readonly failed?: 'dump' | 'check' | 'write' | 'stopped';
  readonly writeError?: NodeJS.ErrnoException;
  /** Bytes written to the file, and their SHA-256, taken as they went by. */
  readonly size: number;
  readonly sha256: string;
}

/**
 * Runs `dump` with its standard output written to `file`, hashed on the way and fed at the
 * same time to `check`, a tool that reads the whole dump back. One pass over the bytes, beside
 * the dump, instead of writing the file, then reading it back to validate it and again to hash
 * it. The first of the three to fail (or the caller's signal) stops the other two. Rejects only
 * when a tool cannot be started.
 */
export async function streamDump(
  dump: Omit<ToolRun, 'signal' | 'onStdout'>,
  check: Omit<ToolRun, 'signal' | 'stdinStream'>,
  file: string,
  signal?: AbortSignal,
): Promise<StreamedDump> {
  const stop = new AbortController();
  /** What stopped the run before its end, if anything did. */
  let stoppedBy: StreamedDump['failed'];
  const fail = (what: NonNullable<StreamedDump['failed']>) => {
    stoppedBy ??= what;
    stop.abort();
  };
  const onAbort = () => fail('stopped');
  if (signal?.aborted === true) fail('stopped');
  signal?.addEventListener('abort', onAbort, { once: true });

  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    // Room for a few seconds of dump, so a file write or the checker that falls behind
    // for a moment (a busy machine) does not stall pg_dump on a full pipe.
    highWaterMark: BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const out = createWriteStream(file, { highWaterMark: BUFFER_BYTES });
  let writeError: NodeJS.ErrnoException | undefined;
  out.on('error', (error: NodeJS.ErrnoException) => {
    writeError ??= error;
    fail('write');
  });
  let inputEnded = false;
  meter.once('end', () => {
    inputEnded = true;
  });
  meter.pipe(out);
  const watchDump = (result: ToolResult) => {
    if (result.code !== 0) fail('dump');
    return result;
  };
  // A checker that fails while the dump still flows found something it cannot read; one
  // that fails once its input ended may only have met a dump cut short, which the dump's
  // own result tells.
  const watchCheck = (result: ToolResult) => {
    if (result.code !== 0 && !inputEnded) fail('check');
    return result;
  };
  try {
    const [dumped, checked] = await Promise.all([
      runTool({
        ...dump,
        signal: stop.signal,
        onStdout: (stdout) => stdout.pipe(meter),
      }).then(watchDump),
      runTool({ ...check, stdinStream: meter, signal: stop.signal }).then(watchCheck),
    ]);
    await finished(out).catch(() => undefined);
    const failed: StreamedDump['failed'] =
      writeError !== undefined
        ? 'write'
        : (stoppedBy ?? (dumped.code !== 0 ? 'dump' : checked.code !== 0 ? 'check' : undefined));
    return {
      dump: dumped,
      check: checked,
      ...(failed === undefined ? {} : { failed }),
      ...(writeError === undefined ? {} : { writeError }),
      size,
      sha256: hash.digest('hex'),
    };
  } catch (error) {
    // A tool that could not start: the other one must not wait for input forever.
    stop.abort();
    meter.destroy();
    out.destroy();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
