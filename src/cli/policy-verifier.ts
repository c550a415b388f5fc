import { ShellCommandRunner } from '../adapters/command/shell/shell-command-runner.js';
import { essentialEnvironment } from '../adapters/target/target-environment.js';
import { FetchHttpClient } from '../adapters/verify/http/fetch-http-client.js';
import { systemSleep } from '../adapters/verify/system-timers.js';
import type { Verifier } from '../core/engine/step-executor.js';
import type { SecretResolver } from '../core/secrets/secret-resolver.js';
import { systemClock } from '../core/time/clock.js';
import { runVerification } from '../core/verify/run-verification.js';

/** Runs the policy's verifications (HTTP with login, bundle, command) against real servers. */
export function policyVerifier(
  secrets: SecretResolver,
  policyDir: string,
  env: NodeJS.ProcessEnv,
): Verifier {
  const http = new FetchHttpClient();
  const commands = new ShellCommandRunner();
  const base = essentialEnvironment(env);
  return {
    run: (name, check, target, signal) =>
      runVerification(name, check, target, {
        http,
        commands,
        secrets,
        clock: systemClock,
        sleep: systemSleep,
        baseDir: policyDir,
        env: base,
        signal,
      }),
  };
}
