/** The step vocabulary of `CLI-CONTRACT.md`: every plan step is one of these. */
export const PLAN_STEP_KINDS = [
  'gate',
  'approval',
  'window',
  'checklist',
  'maintenance',
  'backup',
  'migrate',
  'deploy',
  'verify',
  'traffic',
  'analysis',
  'bake',
  'cache',
  'flag',
  'notify',
  'command',
] as const;
export type PlanStepKind = (typeof PLAN_STEP_KINDS)[number];

export type PlanPhase = 'preflight' | 'deploy' | 'rollback';

export interface PlanStep {
  readonly id: string;
  readonly kind: PlanStepKind;
  readonly name: string;
  readonly phase: PlanPhase;
  /** Everything an executor needs, already resolved from the policy. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly continueOnError?: boolean;
  /** Where in eclusa.yaml this step comes from (dotted path). */
  readonly source?: string;
}

export interface Plan {
  readonly release: string;
  readonly environment: string;
  readonly tier: string;
  readonly policyDigest: string;
  readonly strategy: string;
  readonly steps: readonly PlanStep[];
  readonly rollback: {
    readonly automatic: boolean;
    readonly triggers: readonly string[];
    readonly steps: readonly PlanStep[];
  };
}
