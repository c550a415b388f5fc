import type { z } from 'zod';
import type { PolicyPath } from './policy-issue.js';
import type { PolicyDocument } from './schema/policy-schema.js';
import type { environmentSchema } from './schema/environment.js';
import type { stepSchema } from './schema/steps.js';

type EnvironmentDocument = z.output<typeof environmentSchema>;
export type StepDocument = z.output<typeof stepSchema>;
export type StepKindName = StepDocument['kind'];

/** A pipeline step with its id settled and the place in the file it came from. */
export type CompiledStep = StepDocument & {
  readonly id: string;
  readonly source: PolicyPath;
};

export interface CompiledEnvironment extends Omit<EnvironmentDocument, 'pipeline'> {
  readonly index: number;
  readonly source: PolicyPath;
  /** The environment a release must have succeeded in first; undefined for the first one. */
  readonly promotionFrom: string | undefined;
  readonly minBakeMs: number;
  readonly pipeline: readonly CompiledStep[];
}

/** The validated, normalised, frozen policy every other part of eclusa reads. */
export interface CompiledPolicy extends Omit<PolicyDocument, 'environments'> {
  readonly file: string;
  /** SHA-256 of the policy text: which policy a plan or deployment ran under. */
  readonly digest: string;
  readonly environments: readonly CompiledEnvironment[];
}

export function findEnvironment(
  policy: CompiledPolicy,
  name: string,
): CompiledEnvironment | undefined {
  return policy.environments.find((environment) => environment.name === name);
}
