import type { z } from 'zod';
import type { targetSchema } from '../../core/policy/schema/components.js';

type TargetDocument = z.output<typeof targetSchema>;

/** `target: { type: process, … }` of a component in eclusa.yaml. */
export type ProcessTargetConfig = Extract<TargetDocument, { type: 'process' }>;
/** `target: { type: command, … }` of a component in eclusa.yaml. */
export type CommandTargetConfig = Extract<TargetDocument, { type: 'command' }>;
/** `target: { type: kubernetes, … }` of a component in eclusa.yaml. */
export type KubernetesTargetConfig = Extract<TargetDocument, { type: 'kubernetes' }>;
