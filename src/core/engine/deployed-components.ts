import type { Backend } from '../router/traffic-router.js';
import type { TargetEndpoint } from '../target/target.js';
import type { ReleaseRecord } from '../store/records.js';
import type { RunState } from './run-state.js';

/** What a deploy step of this run started for one component, and what ran before it. */
export interface DeployedComponent {
  readonly slot: string;
  readonly version: string;
  readonly endpoint?: TargetEndpoint;
  /** The live version before this deployment: where a rollback goes back to. */
  readonly from?: {
    readonly slot: string;
    readonly version: string;
    readonly release: string;
    readonly endpoint?: TargetEndpoint;
  };
}

/** Every component the deploy steps of this run have started so far, from their outputs. */
export function deployedComponents(run: RunState): Record<string, DeployedComponent> {
  const out: Record<string, DeployedComponent> = {};
  for (const step of run.steps) {
    if (step.kind !== 'deploy') continue;
    const components = step.output?.['components'] as Record<string, DeployedComponent> | undefined;
    Object.assign(out, components ?? {});
  }
  return out;
}

export function backendOf(
  component: string,
  slot: string,
  version: string,
  endpoint: TargetEndpoint,
): Backend {
  return { id: `${component}-${slot}`, version, endpoint };
}

/** The digest and `REF@DIGEST` of a component's artifact in a release, as a target wants them. */
export function artifactFields(
  release: ReleaseRecord | undefined,
  component: string,
): { digest?: string; artifact?: string } {
  const artifact = release?.artifacts.find((a) => a.component === component);
  if (!artifact) return {};
  return {
    ...(artifact.digest === undefined ? {} : { digest: artifact.digest }),
    artifact: artifact.digest ? `${artifact.ref}@${artifact.digest}` : artifact.ref,
  };
}
