import { z } from 'zod';
import { durationSchema, nameSchema, personSchema } from './common.js';
import { componentSchema } from './components.js';
import { environmentSchema } from './environment.js';
import {
  checkSchema,
  checklistSchema,
  flagSchema,
  freezeSchema,
  incidentsSchema,
  notificationChannelSchema,
  roleSchema,
  windowSchema,
} from './governance.js';
import { analysisSchema } from './analysis.js';

/** The whole `eclusa.yaml`, version 1: the single source of the types and the published JSON Schema. */
export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Policy format version.'),
    project: z.strictObject({
      name: nameSchema,
      description: z.string().optional(),
      owners: z.array(personSchema).min(1).describe('People accountable for the release policy.'),
      repository: z.string().optional(),
    }),
    roles: z.record(nameSchema, roleSchema).optional(),
    components: z.record(nameSchema, componentSchema),
    checks: z.record(nameSchema, checkSchema).optional(),
    checklists: z.record(nameSchema, checklistSchema).optional(),
    windows: z.record(nameSchema, windowSchema).optional(),
    freezes: z.array(freezeSchema).optional(),
    analyses: z.record(nameSchema, analysisSchema).optional(),
    channels: z.record(nameSchema, notificationChannelSchema).optional(),
    flags: z.record(nameSchema, flagSchema).optional(),
    incidents: incidentsSchema.optional(),
    waivers: z
      .strictObject({
        approvedBy: nameSchema.describe(
          'The technical-owner role whose member approves a waiver (never its requester).',
        ),
        maxDuration: durationSchema.optional().describe('Longest validity a waiver may ask for.'),
      })
      .optional()
      .describe('Exceptions to a gate: written before, justified, risk accepted, approved.'),
    environments: z.array(environmentSchema).min(1).describe('In promotion order.'),
  })
  .describe('eclusa release policy (eclusa.yaml).');

export type PolicyInput = z.input<typeof policySchema>;
export type PolicyDocument = z.output<typeof policySchema>;
