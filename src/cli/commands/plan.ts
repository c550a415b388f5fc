import { buildPlan } from '../../core/plan/build-plan.js';
import type { Plan, PlanStep } from '../../core/plan/plan.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { requirePolicy } from '../policy-file.js';

export interface PlanOptions {
  readonly release: string;
  readonly env: string;
  readonly file?: string;
  readonly json?: boolean;
}

function printSteps(io: CliIo, steps: readonly PlanStep[], offset = 0): void {
  const width = Math.max(...steps.map((step) => step.kind.length), 4);
  steps.forEach((step, i) => {
    io.out(
      `  ${String(i + 1 + offset).padStart(2)}. ${step.kind.padEnd(width)}  ${step.name}  [${step.id}]`,
    );
  });
}

function printPlan(io: CliIo, plan: Plan): void {
  io.out(`plan: release ${plan.release} → ${plan.environment} (${plan.tier}, ${plan.strategy})`);
  const preflight = plan.steps.filter((step) => step.phase === 'preflight');
  const deploy = plan.steps.filter((step) => step.phase !== 'preflight');
  io.out('before anything changes:');
  printSteps(io, preflight);
  io.out('deployment:');
  printSteps(io, deploy, preflight.length);
  const mode = plan.rollback.automatic
    ? `automatic on ${plan.rollback.triggers.join(', ')}`
    : 'manual';
  io.out(`rollback path (${mode}):`);
  printSteps(io, plan.rollback.steps);
}

/** `eclusa plan`: the ordered steps a deploy would run, computed without touching anything. */
export async function planCommand(io: CliIo, options: PlanOptions): Promise<number> {
  const policy = await requirePolicy(io, options.file);
  const plan = buildPlan(policy, { release: options.release, environment: options.env });
  if (options.json) writeJson(io, plan);
  else printPlan(io, plan);
  return 0;
}
