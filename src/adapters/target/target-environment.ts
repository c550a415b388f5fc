import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fillTextTemplate } from '../../core/command/shell-template.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import type { SecretResolver } from '../../core/secrets/secret-resolver.js';
import type { StartRequest } from '../../core/target/target.js';

/**
 * What a long-running app inherits from eclusa's own environment: enough to find programs and
 * a home, nothing else. eclusa's credentials (ECLUSA_TOKEN, ECLUSA_DATABASE_URL, a cloud
 * key in the CI job) must not leak into every service it starts; the policy's `env` says
 * what the app gets.
 */
const ESSENTIAL = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
];

export function essentialEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ESSENTIAL) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * What a user's script inherits: everything (ssh agents, docker and cloud settings live
 * there) except eclusa's own ECLUSA_* variables, which eclusa sets itself.
 */
export function scriptEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('ECLUSA_')) out[name] = value;
  }
  return out;
}

export type SlotFields = Pick<StartRequest, 'component' | 'environment' | 'slot'> &
  Partial<Pick<StartRequest, 'release' | 'version' | 'digest' | 'artifact'>>;

/** The `{placeholder}` values of a command template for one slot (empty when unknown). */
export function slotPlaceholders(fields: SlotFields): Record<string, string> {
  return {
    component: fields.component,
    environment: fields.environment,
    slot: fields.slot,
    release: fields.release ?? '',
    version: fields.version ?? '',
    digest: fields.digest ?? '',
    artifact: fields.artifact ?? '',
  };
}

/** The same values as ECLUSA_COMPONENT, ECLUSA_VERSION …, for scripts that prefer variables. */
export function slotVariables(fields: SlotFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(slotPlaceholders(fields))) {
    out[`ECLUSA_${name.toUpperCase()}`] = value;
  }
  return out;
}

/**
 * The policy's `env` for a slot: `{version}`-style placeholders filled first, then
 * `${env:NAME}` secrets resolved (so a secret's value is never read as a placeholder).
 */
export function policyEnvironment(
  secrets: SecretResolver,
  templates: Readonly<Record<string, string>> | undefined,
  placeholders: Readonly<Record<string, string>>,
  field: string,
): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates ?? {}))
    filled[name] = fillTextTemplate(template, placeholders);
  return secrets.record(filled, field);
}

/** A target's `cwd`, relative to the policy file's directory (default: that directory); it must exist. */
export function targetWorkingDirectory(
  policyDir: string,
  cwd: string | undefined,
  field: string,
): string {
  const path = cwd === undefined ? policyDir : isAbsolute(cwd) ? cwd : resolve(policyDir, cwd);
  if (!existsSync(path)) {
    throw invalidInput('TARGET_CWD_MISSING', `${field}: ${path} does not exist`, {
      hint: 'relative paths start at the directory of the policy file',
    });
  }
  return path;
}
