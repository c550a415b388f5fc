import { parseDuration } from './duration.js';
import type {
  CompiledEnvironment,
  CompiledPolicy,
  CompiledStep,
  StepDocument,
} from './compiled-policy.js';
import type { PolicyDocument } from './schema/policy-schema.js';

/** The subject a step acts on, used to derive a readable default id. */
function subjectOf(step: StepDocument): string | undefined {
  switch (step.kind) {
    case 'backup':
    case 'migrate':
      return step.database;
    case 'deploy':
      return step.components.join('-');
    case 'traffic':
      return String(step.weight);
    case 'analysis':
      return step.analysis;
    case 'maintenance':
      return step.mode;
    case 'cache':
      return step.action;
    case 'flag':
      return step.flag;
    case 'checklist':
      return step.checklist;
    default:
      return undefined;
  }
}

function compileSteps(steps: readonly StepDocument[], environmentIndex: number): CompiledStep[] {
  const explicit = new Set(
    steps.map((step) => step.id).filter((id): id is string => id !== undefined),
  );
  const used = new Set<string>();
  return steps.map((step, index) => {
    let id = step.id;
    if (id === undefined) {
      const base = [step.kind, subjectOf(step)].filter(Boolean).join('-');
      id = base;
      for (let n = 2; used.has(id) || explicit.has(id); n++) id = `${base}-${n}`;
    }
    used.add(id);
    return { ...step, id, source: ['environments', environmentIndex, 'pipeline', index] };
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Normalise a schema-valid document: resolve defaults and derived fields, then freeze it. */
export function compilePolicy(
  document: PolicyDocument,
  file: string,
  digest: string,
): CompiledPolicy {
  const environments: CompiledEnvironment[] = document.environments.map((environment, index) => ({
    ...environment,
    index,
    source: ['environments', index],
    // `none` makes an entry environment: no earlier environment must have run the release.
    promotionFrom:
      environment.promotion?.from === 'none'
        ? undefined
        : (environment.promotion?.from ??
          (index > 0 ? document.environments[index - 1]?.name : undefined)),
    minBakeMs: parseDuration(environment.promotion?.minBake ?? '0s') ?? 0,
    pipeline: compileSteps(environment.pipeline ?? [], index),
  }));
  return deepFreeze({ ...document, file, digest, environments });
}
