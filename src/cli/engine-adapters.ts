import { createRouter } from '../adapters/router/create-router.js';
import { createTarget } from '../adapters/target/create-target.js';
import type { EnginePorts, Verifier } from '../core/engine/step-executor.js';
import type { CompiledPolicy } from '../core/policy/compiled-policy.js';
import type { TrafficRouter } from '../core/router/traffic-router.js';
import type { SecretResolver } from '../core/secrets/secret-resolver.js';
import type { Target } from '../core/target/target.js';

export interface AdapterSettings {
  readonly home: string;
  readonly policy: CompiledPolicy;
  readonly policyDir: string;
  readonly environment: string;
  readonly secrets: SecretResolver;
  readonly env: NodeJS.ProcessEnv;
  readonly verifier: Verifier;
}

/** Picks the adapter for each component's target and the environment's router (built once each). */
export function engineAdapters(
  settings: AdapterSettings,
): Pick<EnginePorts, 'targetFor' | 'router' | 'verifier'> {
  const targets = new Map<string, Target | undefined>();
  let router: TrafficRouter | undefined | null = null;
  return {
    targetFor: (component) => {
      if (!targets.has(component)) {
        const config = settings.policy.components[component];
        const target =
          config && config.kind !== 'database' && config.target
            ? createTarget(component, config.target, {
                home: settings.home,
                policyDir: settings.policyDir,
                secrets: settings.secrets,
                env: settings.env,
              })
            : undefined;
        targets.set(component, target);
      }
      return targets.get(component);
    },
    router: () => {
      if (router === null) {
        const config = settings.policy.environments.find(
          (e) => e.name === settings.environment,
        )?.router;
        router = config
          ? createRouter(config, { home: settings.home, environment: settings.environment })
          : undefined;
      }
      return router;
    },
    verifier: settings.verifier,
  };
}
