import { z } from 'zod';
import {
  clockTimeSchema,
  durationSchema,
  isoDateTimeSchema,
  nameSchema,
  personSchema,
  secretRefSchema,
  weekdaySchema,
} from './common.js';

export const roleSchema = z.strictObject({
  description: z.string().optional(),
  members: z.array(personSchema).describe('People who hold this role.'),
});

/** A check CI reports; `type` decides how its evidence is read and judged. */
export const checkSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('status'),
    description: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('tests'),
    description: z.string().optional(),
    maxFailures: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Failed + errored tests allowed (default 0).'),
    minTests: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    type: z.literal('coverage'),
    description: z.string().optional(),
    min: z.number().min(0).max(100).describe('Minimum line coverage, in percent.'),
  }),
  z.strictObject({
    type: z.literal('score'),
    description: z.string().optional(),
    min: z.number().describe('Minimum score, e.g. 0.8 for an LLM evaluation suite.'),
    max: z.number().optional(),
  }),
]);

export const checklistSchema = z.strictObject({
  description: z.string().optional(),
  confirmedBy: nameSchema.describe('The role whose member confirms each item.'),
  items: z.array(z.string().min(1)).min(1),
});

const recurringWindowSchema = z.strictObject({
  description: z.string().optional(),
  timezone: z.string().min(1).describe('IANA timezone, e.g. America/Sao_Paulo.'),
  days: z.array(weekdaySchema).optional().describe('Days the window opens (default: every day).'),
  start: clockTimeSchema,
  end: clockTimeSchema.describe('End time; earlier than start means the window crosses midnight.'),
});

const oneOffWindowSchema = z.strictObject({
  description: z.string().optional(),
  timezone: z.string().min(1),
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
});

export const windowSchema = z.union([recurringWindowSchema, oneOffWindowSchema]);

export const freezeSchema = z.strictObject({
  name: nameSchema.optional(),
  reason: z.string().min(1),
  timezone: z.string().min(1),
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
  environments: z.array(nameSchema).optional().describe('Frozen environments (default: all).'),
});

export const flagSchema = z.strictObject({
  description: z.string().optional(),
  default: z.boolean().describe('The safe value served when nothing else applies.'),
  killSwitch: z.boolean().optional().describe('May be turned off at once by the rollback path.'),
  rollout: z
    .strictObject({
      percentage: z.number().min(0).max(100).optional(),
      tenants: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  owner: personSchema.optional(),
});

export const incidentsSchema = z.strictObject({
  severities: z.record(
    nameSchema,
    z.strictObject({
      description: z.string().optional(),
      ack: durationSchema.describe('Time to acknowledge.'),
      contain: durationSchema.optional(),
      recover: durationSchema.optional(),
      businessHours: z.boolean().optional(),
    }),
  ),
  escalation: z
    .array(nameSchema)
    .optional()
    .describe('Roles paged in order when nobody acknowledges.'),
  onRollback: nameSchema.optional().describe('Severity of the incident a rollback opens.'),
});

export const notificationChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('slack'),
    webhook: secretRefSchema.describe('Secret reference to the incoming-webhook URL.'),
    channel: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('webhook'),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({
    type: z.literal('email'),
    to: z.array(z.string().min(3)).min(1),
    smtp: secretRefSchema.describe('Secret reference to the SMTP URL.'),
  }),
]);

export const NOTIFY_EVENTS = [
  'started',
  'step',
  'approval-needed',
  'succeeded',
  'failed',
  'rolled-back',
  'paused',
  'incident',
] as const;

export const approvalsSchema = z.strictObject({
  roles: z
    .array(nameSchema)
    .min(1)
    .describe('Roles that must each approve, each by a different person.'),
  ttl: durationSchema.optional().describe('An approval older than this no longer counts.'),
});
