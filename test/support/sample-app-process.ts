import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../examples/sample-app/server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_MS = 30_000;

/** One running copy of examples/sample-app, on a free port of 127.0.0.1. */
export interface SampleApp {
  readonly version: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the sample app with PORT=0 and reads the URL it prints on its one stdout line. */
export function startSampleApp(
  version: string,
  env: Record<string, string> = {},
): Promise<SampleApp> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', APP_VERSION: version, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise<SampleApp>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`sample app ${version} printed no URL in ${START_MS} ms: ${err}`));
    }, START_MS);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (match?.[1] === undefined || match[2] === undefined) return;
      clearTimeout(timer);
      resolve({
        version,
        host: '127.0.0.1',
        port: Number(match[2]),
        url: match[1],
        pid: child.pid ?? 0,
        stop,
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sample app ${version} exited (${code}) before listening: ${err}`));
    });
  });
}
