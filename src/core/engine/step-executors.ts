import type { PlanStepKind } from '../plan/plan.js';
import { analysisStep } from './executors/analysis-step.js';
import { bakeStep } from './executors/bake-step.js';
import { backupStep, migrateStep } from './executors/database-steps.js';
import { cacheStep } from './executors/cache-step.js';
import { checklistStep } from './executors/checklist-step.js';
import { commandStep } from './executors/command-step.js';
import { deployStep } from './executors/deploy-step.js';
import { flagStep } from './executors/flag-step.js';
import { maintenanceStep } from './executors/maintenance-step.js';
import { notifyStep } from './executors/notify-step.js';
import { promoteStep } from './executors/promote-step.js';
import { trafficStep } from './executors/traffic-step.js';
import { verifyStep } from './executors/verify-step.js';
import type { StepExecutor } from './step-executor.js';

/** Step kinds whose executor comes from elsewhere (database, analysis) are added by the caller. */
export type ExecutorTable = Partial<Record<PlanStepKind, StepExecutor>>;

/** The executors of the engine itself, one per step kind. */
export const ENGINE_EXECUTORS: ExecutorTable = {
  analysis: analysisStep,
  approval: promoteStep,
  backup: backupStep,
  bake: bakeStep,
  cache: cacheStep,
  checklist: checklistStep,
  command: commandStep,
  deploy: deployStep,
  flag: flagStep,
  maintenance: maintenanceStep,
  migrate: migrateStep,
  notify: notifyStep,
  traffic: trafficStep,
  verify: verifyStep,
};
