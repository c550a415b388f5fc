import type { Verifier } from '../core/engine/step-executor.js';
import type { SecretResolver } from '../core/secrets/secret-resolver.js';

/** Runs the policy's verifications (HTTP, bundle, command) for real. */
export function policyVerifier(
  secrets: SecretResolver,
  policyDir: string,
  env: NodeJS.ProcessEnv,
): Verifier {
  void secrets;
  void policyDir;
  void env;
  return {
    run: (name, check) =>
      Promise.resolve({
        name,
        type: check.type,
        ok: false,
        attempts: 0,
        durationMs: 0,
        detail: 'verification runner not wired yet',
      }),
  };
}
