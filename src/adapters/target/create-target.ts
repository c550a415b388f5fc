import type { z } from 'zod';
import type { targetSchema } from '../../core/policy/schema/components.js';
import type { SecretResolver } from '../../core/secrets/secret-resolver.js';
import type { Target } from '../../core/target/target.js';
import { CommandTarget } from './command/command-target.js';
import { KubernetesTarget } from './kubernetes/kubernetes-target.js';
import { ProcessTarget } from './process/process-target.js';

export interface TargetDependencies {
  /** ECLUSA_HOME (the process target keeps state and logs under run/). */
  readonly home: string;
  /** Directory of the policy file: relative `cwd`s start there. */
  readonly policyDir: string;
  readonly secrets: SecretResolver;
  readonly env?: NodeJS.ProcessEnv;
}

/** The Target adapter for one component's `target:` in the policy. */
export function createTarget(
  component: string,
  config: z.output<typeof targetSchema>,
  deps: TargetDependencies,
): Target {
  const env = deps.env === undefined ? {} : { env: deps.env };
  switch (config.type) {
    case 'process':
      return new ProcessTarget({ config, component, ...deps, ...env });
    case 'command':
      return new CommandTarget({ config, component, ...deps, ...env });
    case 'kubernetes':
      return new KubernetesTarget({ config, component, ...env });
  }
}
