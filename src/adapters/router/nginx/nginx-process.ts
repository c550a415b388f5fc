import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EclusaError } from '../../../core/errors/eclusa-error.js';

const run = promisify(execFile);

/** How eclusa runs nginx: the binary, and the -p/-c/-e flags that point it at its files. */
export interface NginxCommand {
  readonly binary: string;
  /** -p, -c and -e for a managed nginx; -c alone (when given) for one the team runs. */
  readonly flags: readonly string[];
  /** The team's own graceful reload command, run by /bin/sh (default: nginx -s reload). */
  readonly reload?: string;
}

function said(error: unknown): string {
  const output = (error as { stderr?: string }).stderr ?? (error as Error).message;
  return output.replace(/\s+/g, ' ').trim().slice(0, 1_000);
}

function notFound(command: NginxCommand): EclusaError {
  return new EclusaError('invalid-input', 'NGINX_NOT_FOUND', `${command.binary} is not installed`, {
    hint: 'apt-get install nginx-light (or nginx), or set router.binary to its path',
  });
}

async function nginx(command: NginxCommand, args: string[], what: string): Promise<void> {
  try {
    await run(command.binary, [...command.flags, ...args], { timeout: 30_000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(command);
    throw new EclusaError('failed', 'NGINX_FAILED', `nginx could not ${what}: ${said(error)}`, {
      hint: 'see nginx’s error log',
      retryable: true,
      cause: error,
    });
  }
}

/** nginx -t: its own message when the configuration is refused, undefined when accepted. */
export async function testNginx(command: NginxCommand): Promise<string | undefined> {
  try {
    await run(command.binary, [...command.flags, '-t', '-q'], { timeout: 30_000 });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(command);
    return said(error);
  }
}

export async function startNginx(command: NginxCommand): Promise<void> {
  await nginx(command, [], 'start');
}

/** Graceful reload: new workers take the new configuration, old ones finish their requests. */
export async function reloadNginx(command: NginxCommand): Promise<void> {
  if (command.reload === undefined) {
    await nginx(command, ['-s', 'reload'], 'reload');
    return;
  }
  try {
    await run('/bin/sh', ['-c', command.reload], { timeout: 60_000 });
  } catch (error) {
    throw new EclusaError(
      'failed',
      'NGINX_RELOAD_FAILED',
      `"${command.reload}" failed: ${said(error)}`,
      {
        hint: 'check router.reload; nginx keeps serving the previous configuration',
        retryable: true,
        cause: error,
      },
    );
  }
}

/** Graceful stop: nginx finishes the requests in flight, then exits. */
export async function quitNginx(command: NginxCommand): Promise<void> {
  await nginx(command, ['-s', 'quit'], 'stop');
}
