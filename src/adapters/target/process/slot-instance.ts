import type { TargetInstance } from '../../../core/target/target.js';
import { probeInstance } from './instance-probe.js';
import { liveGroups } from './slot-processes.js';
import type { SlotState } from './slot-state.js';

/**
 * What a slot's state file says, checked against the world: the processes it names must
 * be alive (and the same processes), and the port must answer.
 */
export async function inspectSlot(state: SlotState): Promise<TargetInstance> {
  const base = {
    component: state.component,
    environment: state.environment,
    slot: state.slot,
    version: state.version,
    ...(state.digest === undefined ? {} : { digest: state.digest }),
    endpoint: { host: state.host, port: state.port },
    startedAt: state.startedAt,
    logFile: state.logFile,
  };
  const groups = liveGroups(state);
  if (groups.app !== undefined) {
    const probe = await probeInstance(state.host, state.port, state.healthPath);
    return probe.ready
      ? { ...base, state: 'running', pid: groups.app }
      : {
          ...base,
          state: 'failed',
          pid: groups.app,
          reason: `pid ${groups.app} runs, but ${probe.detail}`,
        };
  }
  if (groups.supervisor !== undefined) {
    return {
      ...base,
      state: 'unknown',
      reason: state.reason ?? 'the supervisor is starting the app',
    };
  }
  if (state.phase === 'stopped') return { ...base, state: 'stopped', reason: 'stopped' };
  if (state.phase === 'failed') {
    return { ...base, state: 'failed', reason: state.reason ?? 'the supervisor gave up' };
  }
  const pid = state.app?.pid ?? state.supervisor.pid;
  return {
    ...base,
    state: 'failed',
    reason: `process group ${pid} is gone, but eclusa did not stop it (killed outside eclusa, or the machine restarted)`,
  };
}
