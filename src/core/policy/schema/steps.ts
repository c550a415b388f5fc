import { z } from 'zod';
import { durationSchema, envVarsSchema, nameSchema, templatedTextSchema } from './common.js';

/** Fields every pipeline step may carry. */
const common = {
  id: nameSchema
    .optional()
    .describe('Stable id of the step (default: derived from kind and subject).'),
  name: z.string().optional().describe('Label shown in plans and progress.'),
  timeout: durationSchema.optional(),
  retries: z.number().int().min(0).max(20).optional(),
  continueOnError: z.boolean().optional().describe('A failure is recorded but does not roll back.'),
};

const weightSchema = z.number().int().min(0).max(100);

export const stepSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('maintenance'),
    mode: z.enum(['on', 'off']),
    message: z.string().optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('backup'),
    database: nameSchema,
    verify: z.boolean().optional().describe('Validate the dump right away (default true).'),
    ...common,
  }),
  z.strictObject({ kind: z.literal('migrate'), database: nameSchema, ...common }),
  z.strictObject({
    kind: z.literal('deploy'),
    components: z.array(nameSchema).min(1),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('verify'),
    checks: z.array(nameSchema).optional().describe('Named verifications (default: all).'),
    against: z
      .enum(['new', 'production'])
      .optional()
      .describe('The new version alone, or live traffic.'),
    ...common,
  }),
  z.strictObject({ kind: z.literal('traffic'), weight: weightSchema, ...common }),
  z
    .strictObject({
      kind: z.literal('rollout'),
      ...common,
    })
    .describe(
      'Runs the environment strategy here: the switch for blue-green, the weighted steps for canary.',
    ),
  z.strictObject({
    kind: z.literal('analysis'),
    analysis: nameSchema,
    duration: durationSchema.optional().describe('A monitoring window, e.g. 30m after the switch.'),
    ...common,
  }),
  z.strictObject({ kind: z.literal('bake'), duration: durationSchema, ...common }),
  z.strictObject({
    kind: z.literal('cache'),
    action: z.enum(['purge', 'clear', 'warm']),
    provider: z.enum(['cloudflare', 'http', 'command']),
    paths: z.array(z.string().min(1)).optional(),
    zone: z.string().optional().describe('CDN zone id.'),
    token: z.string().optional().describe('Secret reference to the CDN API token.'),
    run: z.string().optional().describe('The command (provider: command).'),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('flag'),
    flag: nameSchema,
    set: z.union([
      z.enum(['on', 'off']),
      z.strictObject({
        percentage: z.number().min(0).max(100).optional(),
        tenants: z.array(z.string()).optional(),
      }),
    ]),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('notify'),
    message: z.string().min(1),
    channels: z.array(nameSchema).optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('command'),
    run: templatedTextSchema.pipe(z.string().min(1)),
    cwd: z.string().optional(),
    env: envVarsSchema.optional(),
    ...common,
  }),
  z.strictObject({ kind: z.literal('checklist'), checklist: nameSchema, ...common }),
]);
export type StepInput = z.input<typeof stepSchema>;

export const canaryStepSchema = z.strictObject({
  weight: weightSchema,
  pause: z
    .union([durationSchema, z.literal('manual')])
    .optional()
    .describe('Wait before the next step: a duration, or manual (until promote).'),
  analysis: nameSchema
    .optional()
    .describe('Analysis run during the pause (default: the strategy’s).'),
});

export const strategySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('recreate') }),
  z.strictObject({
    type: z.literal('rolling'),
    batchSize: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('blue-green'),
    keepPrevious: durationSchema
      .optional()
      .describe('How long the old colour stays warm after the switch.'),
  }),
  z.strictObject({
    type: z.literal('canary'),
    by: z.enum(['weight', 'instances']).optional(),
    analysis: nameSchema.optional().describe('Default analysis for every step.'),
    steps: z.array(canaryStepSchema).min(1),
    keepPrevious: durationSchema.optional(),
  }),
]);
