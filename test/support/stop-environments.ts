import { join } from 'node:path';
import { enginePorts } from '../../src/cli/engine-runtime.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

/**
 * Stops every slot and router a test's deployments started under `dir` (policy eclusa.yaml,
 * home .eclusa, unless given), with the policy's `profile` overlay when one is named.
 */
export async function stopEnvironments(
  dir: string,
  options: { readonly home?: string; readonly profile?: string } = {},
): Promise<void> {
  const loaded = await loadPolicyFile(
    join(dir, 'eclusa.yaml'),
    options.profile ? { profile: options.profile } : {},
  );
  if (!loaded.ok) return;
  const io = {
    out: () => undefined,
    err: () => undefined,
    env: process.env,
    cwd: dir,
    isTty: false,
  };
  for (const environment of loaded.policy.environments) {
    const ports = enginePorts(
      io,
      options.home ?? join(dir, '.eclusa'),
      loaded.policy,
      environment.name,
    );
    for (const component of Object.keys(loaded.policy.components)) {
      const target = ports.targetFor(component);
      if (!target) continue;
      for (const instance of await target.status(component, environment.name).catch(() => [])) {
        await target
          .stop({ component, environment: environment.name, slot: instance.slot })
          .catch(() => undefined);
      }
    }
    await ports
      .router()
      ?.shutdown()
      .catch(() => undefined);
  }
}
