import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { EclusaError } from '../core/errors/eclusa-error.js';
import type { CompiledPolicy } from '../core/policy/compiled-policy.js';
import { loadPolicyFile, type PolicyLoadResult } from '../core/policy/load-policy.js';
import type { PolicyIssue } from '../core/policy/policy-issue.js';
import type { CliIo } from './cli-io.js';

// A CLI validates one policy and exits: interpreting zod's schemas is faster than
// generating and compiling a validator for each of them first.
z.config({ jitless: true });

/** The policy path from --file, then ECLUSA_POLICY, then ./eclusa.yaml; shown relative to the cwd. */
export function policyPath(
  io: CliIo,
  file: string | undefined,
): { absolute: string; shown: string } {
  const given = file ?? io.env['ECLUSA_POLICY'] ?? 'eclusa.yaml';
  const absolute = isAbsolute(given) ? given : resolve(io.cwd, given);
  const shown = relative(io.cwd, absolute);
  return { absolute, shown: shown.startsWith('..') || shown === '' ? absolute : shown };
}

export async function readPolicy(io: CliIo, file: string | undefined): Promise<PolicyLoadResult> {
  const { absolute, shown } = policyPath(io, file);
  const profile = io.env['ECLUSA_PROFILE']?.trim();
  const loaded = await loadPolicyFile(absolute, profile ? { profile } : {});
  // Issues name the file the way the user wrote it, so editors can jump to them.
  const rename = (issue: PolicyIssue): PolicyIssue => ({
    ...issue,
    file: issue.file === absolute ? shown : relative(io.cwd, issue.file) || issue.file,
  });
  if (loaded.ok) return { ...loaded, warnings: loaded.warnings.map(rename) };
  return { ...loaded, errors: loaded.errors.map(rename), warnings: loaded.warnings.map(rename) };
}

/** For commands that need a valid policy: the compiled policy, or an error listing every problem. */
export async function requirePolicy(io: CliIo, file: string | undefined): Promise<CompiledPolicy> {
  const loaded = await readPolicy(io, file);
  if (loaded.ok) return loaded.policy;
  throw new EclusaError(
    'invalid-input',
    'POLICY_INVALID',
    `the policy has ${loaded.errors.length} error(s)`,
    {
      hint: 'run `eclusa policy check` for the list',
      details: { errors: loaded.errors },
    },
  );
}
