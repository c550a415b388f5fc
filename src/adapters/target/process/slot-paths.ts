import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { invalidInput } from '../../../core/errors/eclusa-error.js';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Where one component's slots keep their state and logs: ECLUSA_HOME/run/<env>/<component>/. */
export function componentRunDir(home: string, environment: string, component: string): string {
  for (const [what, value] of [
    ['environment', environment],
    ['component', component],
  ] as const) {
    if (!NAME.test(value)) {
      throw invalidInput('TARGET_BAD_NAME', `${what} "${value}" is not a lowercase name`, {
        hint: 'names are lowercase letters, digits, ".", "_" or "-"',
      });
    }
  }
  return join(home, 'run', environment, component);
}

export function stateFile(dir: string, slot: string): string {
  if (!NAME.test(slot)) {
    throw invalidInput('TARGET_BAD_NAME', `slot "${slot}" is not a lowercase name`, {
      hint: 'slots are names such as blue, green, stable, canary, main',
    });
  }
  return join(dir, `${slot}.json`);
}

/** The log of one version in one slot; the version is made safe for a file name. */
export function logFile(dir: string, slot: string, version: string): string {
  return join(dir, `${slot}-${version.replace(/[^A-Za-z0-9._+-]/g, '_')}.log`);
}

/** Slots that have a state file in the directory. */
export function listSlots(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((slot) => NAME.test(slot))
    .sort();
}
