import { evaluateGates, gatesPass } from '../governance/evaluate-gates.js';
import type { GateResult } from '../governance/gate-result.js';
import type { ReleaseRecord } from '../store/records.js';
import type { StoreReader } from '../store/store.js';
import { lintPolicyMigrations } from './migration-lint-service.js';
import {
  requireEnvironment,
  requireRelease,
  type GovernanceContext,
} from './governance-context.js';

/** The release running in an environment: the newest succeeded deployment of another version. */
async function runningRelease(
  reader: StoreReader,
  environment: string,
  except: string,
): Promise<ReleaseRecord | undefined> {
  const latest = (await reader.listDeployments({ environment }))
    .filter((d) => d.status === 'succeeded' && d.release !== except)
    .at(-1);
  return latest ? reader.getRelease(latest.release) : undefined;
}

/**
 * Reads everything the gates depend on in one snapshot and judges them at `at` (default: now).
 * `requester` is who asks to deploy (a deploy passes the actor); their approvals never count.
 */
export async function gatesFor(
  context: GovernanceContext,
  input: { release: string; environment: string; requester?: string; at?: Date },
): Promise<{ gates: GateResult[]; ok: boolean }> {
  const environment = requireEnvironment(context.policy, input.environment);
  // Files, not store facts: linted before the snapshot so the read transaction stays short.
  const migrationLint = environment.gates?.migrationLint
    ? await lintPolicyMigrations(context.policy, context.sqlParser, input.release)
    : undefined;
  const gates = await context.store.read(async (reader) => {
    const release = await requireRelease(reader, input.release);
    const previousRelease = await runningRelease(reader, environment.name, release.version);
    return evaluateGates(context.policy, environment, {
      release,
      checks: await reader.listChecks(release.version),
      approvals: await reader.listApprovals(release.version, environment.name),
      waivers: await reader.listWaivers(release.version, environment.name),
      confirmations: await reader.listChecklistConfirmations(release.version, environment.name),
      openBlockers: await reader.listBlockers(environment.name, { openOnly: true }),
      releaseDeployments: await reader.listDeployments({ release: release.version }),
      ...(previousRelease ? { previousRelease } : {}),
      ...(input.requester === undefined ? {} : { requester: input.requester }),
      ...(migrationLint === undefined ? {} : { migrationLint }),
      database: {
        backups: await reader.listBackups({ environment: environment.name }),
        drills: await reader.listDrills({ environment: environment.name }),
        driftChecks: await reader.listDriftChecks({ environment: environment.name }),
      },
      now: input.at ?? context.clock.now(),
    });
  });
  return { gates, ok: gatesPass(gates) };
}
