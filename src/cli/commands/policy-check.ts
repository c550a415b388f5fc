import { formatIssue } from '../../core/policy/policy-issue.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { readPolicy } from '../policy-file.js';

export interface PolicyCheckOptions {
  readonly file?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
}

/** `eclusa policy check`: every error and warning at once; exit 2 when the policy is invalid. */
export async function policyCheck(io: CliIo, options: PolicyCheckOptions): Promise<number> {
  const loaded = await readPolicy(io, options.file);
  const failed = !loaded.ok || (options.strict === true && loaded.warnings.length > 0);
  if (options.json) {
    writeJson(io, { ok: !failed, errors: loaded.errors, warnings: loaded.warnings });
    return failed ? 2 : 0;
  }
  for (const issue of loaded.errors) io.err(formatIssue(issue));
  for (const issue of loaded.warnings) io.err(formatIssue(issue));
  if (loaded.ok) {
    const environments = loaded.policy.environments.map((e) => e.name).join(' → ');
    const warned = loaded.warnings.length > 0 ? ` with ${loaded.warnings.length} warning(s)` : '';
    io.out(`policy is valid${warned}: ${loaded.policy.project.name}, ${environments}`);
  } else {
    io.err(`${loaded.errors.length} error(s), ${loaded.warnings.length} warning(s)`);
  }
  return failed ? 2 : 0;
}
