import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../examples/sample-app/server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_MS = 20_000;

/** A sample app running as its own process, as eclusa's targets run it. */
export interface RestartableSampleApp {
  readonly url: string;
  readonly endpoint: { readonly host: string; readonly port: number };
  /** Stops it and starts it again on the same port: its counters start from zero. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts examples/sample-app with the given FAULT_* knobs on a free port (or `port`). */
export async function startSampleApp(
  env: Record<string, string> = {},
  port = 0,
): Promise<RestartableSampleApp> {
  let child = await spawnApp(env, port);
  const endpoint = { host: '127.0.0.1', port: child.port };
  return {
    url: `http://127.0.0.1:${child.port}`,
    endpoint,
    restart: async () => {
      await stopChild(child.process);
      child = await spawnApp(env, endpoint.port);
    },
    stop: () => stopChild(child.process),
  };
}

async function spawnApp(
  env: Record<string, string>,
  port: number,
): Promise<{ process: ChildProcess; port: number }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(PORT|APP_VERSION|FAULT_\w+)$/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    env: { ...inherited, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sample app did not start within ${START_MS} ms: ${stderr}`));
    }, START_MS);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end !== -1) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sample app exited with ${code} before listening: ${stderr}`));
    });
  });
  const match = /:(\d+) /.exec(line);
  if (!match) throw new Error(`unexpected first line from the sample app: ${line}`);
  return { process: child, port: Number(match[1]) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
