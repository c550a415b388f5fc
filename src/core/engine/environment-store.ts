import type { AuditActor } from '../audit/audit-event.js';
import type { AuditAppender } from '../services/governance-context.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { EMPTY_ENVIRONMENT, type EnvironmentState } from './environment-state.js';
import { auditData } from './run-persistence.js';

/** Reads and changes an environment's state: each change one transaction with its audit event. */
export function environmentStore(
  store: Store,
  audit: AuditAppender,
  clock: Clock,
  actor: AuditActor,
  environment: string,
  deploymentId: string,
): {
  get(): Promise<EnvironmentState>;
  update(change: (s: EnvironmentState) => EnvironmentState): Promise<EnvironmentState>;
} {
  const parse = (text: string | undefined): EnvironmentState =>
    text === undefined ? EMPTY_ENVIRONMENT : (JSON.parse(text) as EnvironmentState);
  return {
    get: async () => parse((await store.read((r) => r.getEnvironmentState(environment)))?.state),
    update: (change) =>
      store.write(async (writer) => {
        const stored = await writer.getEnvironmentState(environment);
        const before = parse(stored?.state);
        const after = change(before);
        const text = JSON.stringify(after);
        if (text === stored?.state) return before;
        await writer.putEnvironmentState({
          environment,
          revision: (stored?.revision ?? 0) + 1,
          state: text,
          updatedAt: clock.now().toISOString(),
        });
        await audit.append(writer, {
          kind: 'environment.changed',
          subject: `environment/${environment}`,
          actor,
          data: auditData({ deployment: deploymentId, state: after }),
        });
        return after;
      }),
  };
}
