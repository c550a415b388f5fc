import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecretSource } from '../../core/secrets/secret-resolver.js';

/** Secrets from the process environment and from files (relative paths from `baseDir`). */
export function processSecretSource(
  env: NodeJS.ProcessEnv = process.env,
  baseDir: string = process.cwd(),
): SecretSource {
  return {
    env: (name) => env[name],
    file: (path) => {
      try {
        return readFileSync(resolve(baseDir, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
