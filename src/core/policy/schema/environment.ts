import { z } from 'zod';
import { durationSchema, nameSchema } from './common.js';
import { NOTIFY_EVENTS, approvalsSchema } from './governance.js';
import { verificationSchema } from './verification.js';
import { stepSchema, strategySchema } from './steps.js';
import { routerSchema } from './router.js';

const gateCheckSchema = z.union([
  nameSchema,
  z.strictObject({
    check: nameSchema,
    min: z.number().optional().describe('Override the check’s threshold for this environment.'),
  }),
]);

export const gatesSchema = z.strictObject({
  checks: z.array(gateCheckSchema).optional().describe('Checks that must pass for the release.'),
  approvals: approvalsSchema.optional(),
  checklists: z.array(nameSchema).optional(),
  windows: z.array(nameSchema).optional().describe('Deploys only inside one of these windows.'),
  rollbackPlan: z
    .boolean()
    .optional()
    .describe('A previous release must be known for every component.'),
  backup: z
    .strictObject({ database: nameSchema, maxAge: durationSchema })
    .optional()
    .describe('A verified backup younger than maxAge.'),
  restoreDrill: z.strictObject({ database: nameSchema, maxAge: durationSchema }).optional(),
  migrationLint: z.boolean().optional(),
  drift: z.boolean().optional(),
});

export const EVIDENCE_ITEMS = [
  'release',
  'gates',
  'approvals',
  'waivers',
  'backup',
  'migrations',
  'components',
  'verification',
  'analysis',
  'cache',
  'flags',
  'timeline',
] as const;

export const ROLLBACK_TRIGGERS = [
  'step-failed',
  'verification-failed',
  'analysis-failed',
  'monitoring-failed',
] as const;

export const rollbackActionSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({ kind: z.literal('traffic') })
    .describe('All traffic back to the previous version.'),
  z
    .strictObject({ kind: z.literal('redeploy') })
    .describe('The previous version of every component.'),
  z.strictObject({ kind: z.literal('migrate-down'), database: nameSchema }),
  z.strictObject({ kind: z.literal('flags-off'), flags: z.array(nameSchema).min(1) }),
  z.strictObject({
    kind: z.literal('restore-database'),
    database: nameSchema,
    approval: nameSchema.describe('Role that must approve the restore (e.g. dba).'),
  }),
  z.strictObject({
    kind: z.literal('command'),
    run: z.string().min(1),
    name: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('verify'), checks: z.array(nameSchema).optional() }),
  z.strictObject({
    kind: z.literal('notify'),
    message: z.string().optional(),
    channels: z.array(nameSchema).optional(),
  }),
  z.strictObject({ kind: z.literal('incident'), severity: nameSchema }),
]);

export const environmentSchema = z.strictObject({
  name: nameSchema,
  tier: z.enum(['development', 'staging', 'production']),
  description: z.string().optional(),
  promotion: z
    .strictObject({
      from: z
        .union([z.literal('none'), nameSchema])
        .optional()
        .describe(
          'Default: the environment listed before this one; none for an entry environment.',
        ),
      minBake: durationSchema.optional().describe('Time the release must have run there.'),
    })
    .optional(),
  gates: gatesSchema.optional(),
  strategy: strategySchema.optional(),
  router: routerSchema.optional(),
  pipeline: z.array(stepSchema).optional().describe('The ordered deployment steps.'),
  verify: z.record(nameSchema, verificationSchema).optional().describe('Named verifications.'),
  rollback: z
    .strictObject({
      automatic: z.boolean().optional(),
      triggers: z.array(z.enum(ROLLBACK_TRIGGERS)).optional(),
      actions: z.array(rollbackActionSchema).optional(),
    })
    .optional(),
  notifications: z
    .strictObject({
      channels: z.array(nameSchema).min(1),
      on: z.array(z.enum(NOTIFY_EVENTS)).optional(),
      every: durationSchema.optional().describe('Periodic status while a deployment runs.'),
      before: z
        .array(durationSchema)
        .optional()
        .describe('Reminders before the window opens (T-24h …).'),
    })
    .optional(),
  evidence: z
    .array(z.enum(EVIDENCE_ITEMS))
    .optional()
    .describe('Evidence the release must record.'),
});
export type EnvironmentInput = z.input<typeof environmentSchema>;
