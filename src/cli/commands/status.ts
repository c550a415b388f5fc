import type { EnvironmentState } from '../../core/engine/environment-state.js';
import { requireEnvironment } from '../../core/services/governance-context.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { incidentLine } from './incident.js';
import { adoptOrphans } from '../engine-runtime.js';
import { withRuntime } from '../governance-runtime.js';

/** `eclusa status [--env E]`: what runs where, what deploys now and what waits in the queue. */
export async function statusCommand(
  io: CliIo,
  options: { env?: string; file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: false }, async (runtime) => {
    const { policy, clock } = runtime.context;
    await adoptOrphans(io, runtime.store, runtime.home, policy.file, clock.now());
    const names = options.env
      ? [requireEnvironment(policy, options.env).name]
      : policy.environments.map((e) => e.name);
    const environments = await runtime.store.read(async (r) =>
      Promise.all(
        names.map(async (name) => {
          const stored = await r.getEnvironmentState(name);
          const state = stored
            ? (JSON.parse(stored.state) as EnvironmentState)
            : { components: {} };
          const deployments = await r.listDeployments({ environment: name });
          const active = deployments.filter((d) =>
            ['queued', 'running', 'paused'].includes(d.status),
          );
          const incidents = await r.listIncidents({ environment: name, unresolvedOnly: true });
          const last = deployments
            .filter((d) => !['queued', 'running', 'paused'].includes(d.status))
            .at(-1);
          return {
            name,
            components: Object.fromEntries(
              Object.entries(state.components).map(([component, c]) => [
                component,
                {
                  live: c.live ?? null,
                  version: c.live ? (c.slots[c.live]?.version ?? null) : null,
                  slots: c.slots,
                  previous: c.previous ?? null,
                },
              ]),
            ),
            maintenance: state.maintenance ?? null,
            incidents,
            active: active.map((d) => ({ id: d.id, release: d.release, status: d.status })),
            last: last
              ? {
                  id: last.id,
                  release: last.release,
                  status: last.status,
                  finishedAt: last.finishedAt ?? null,
                }
              : null,
          };
        }),
      ),
    );
    if (options.json) writeJson(io, { environments });
    else {
      for (const env of environments) {
        io.out(`${env.name}${env.maintenance ? '  [maintenance]' : ''}`);
        const components = Object.entries(env.components);
        if (components.length === 0) io.out('  nothing deployed by eclusa yet');
        for (const [component, c] of components)
          io.out(`  ${component}: ${c.version ?? '—'}${c.live ? ` (slot ${c.live})` : ''}`);
        for (const d of env.active) io.out(`  ${d.status} ${d.id} ${d.release}`);
        if (env.last) io.out(`  last: ${env.last.id} ${env.last.release} ${env.last.status}`);
        for (const incident of env.incidents) io.out(`  incident ${incidentLine(incident)}`);
      }
    }
    return 0;
  });
}
