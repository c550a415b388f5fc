import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SupervisorSpec } from './slot-state.js';

/** How to run the supervisor program: a node binary and its arguments. */
export interface SupervisorCommand {
  readonly execPath: string;
  readonly args: readonly string[];
}

/**
 * The supervisor beside the running eclusa: dist/supervisor.cjs next to the bundled CLI,
 * or, when eclusa runs from source (tests, `tsx`), supervisor-main.ts through tsx.
 */
export function defaultSupervisorCommand(): SupervisorCommand {
  const bundled = fileURLToPath(new URL('./supervisor.cjs', import.meta.url));
  if (existsSync(bundled)) return { execPath: process.execPath, args: [bundled] };
  const source = fileURLToPath(new URL('./supervisor-main.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { execPath: process.execPath, args: ['--import', pathToFileURL(tsx).href, source] };
}

/**
 * Starts a supervisor in a session of its own (detached, no stdio), so that neither the
 * death of eclusa nor a signal to eclusa's process group reaches it. Returns its pid.
 */
export function launchSupervisor(
  command: SupervisorCommand,
  spec: SupervisorSpec,
  env: Readonly<Record<string, string>>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.execPath, [...command.args], {
      cwd: spec.cwd,
      env: { ...env, ECLUSA_SUPERVISOR_SPEC: JSON.stringify(spec) },
      detached: true,
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve(child.pid ?? 0);
    });
  });
}
