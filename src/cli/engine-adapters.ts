import type { EnginePorts } from '../core/engine/step-executor.js';
import type { CompiledPolicy } from '../core/policy/compiled-policy.js';
import type { SecretResolver } from '../core/secrets/secret-resolver.js';

export interface AdapterSettings {
  readonly home: string;
  readonly policy: CompiledPolicy;
  readonly policyDir: string;
  readonly environment: string;
  readonly secrets: SecretResolver;
}

/** Picks the adapter for each component's target, the environment's router and the verifier. */
export function engineAdapters(
  settings: AdapterSettings,
): Pick<EnginePorts, 'targetFor' | 'router' | 'verifier'> {
  void settings;
  return {
    targetFor: () => undefined,
    router: () => undefined,
    verifier: {
      run: (name, check) =>
        Promise.resolve({
          name,
          type: check.type,
          ok: false,
          attempts: 0,
          durationMs: 0,
          detail: 'no verifier',
        }),
    },
  };
}
