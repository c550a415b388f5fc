import { z } from 'zod';
import { durationSchema, envVarsSchema, secretRefSchema, templatedTextSchema } from './common.js';

const processTargetSchema = z.strictObject({
  type: z.literal('process'),
  command: z
    .string()
    .min(1)
    .describe('Command template; {port}, {version}, {digest}, {environment} are filled in.'),
  cwd: z.string().optional(),
  env: envVarsSchema.optional(),
  healthPath: z
    .string()
    .optional()
    .describe('Readiness path polled on the new process, e.g. /health.'),
  readyTimeout: durationSchema.optional(),
});

const commandTargetSchema = z.strictObject({
  type: z.literal('command'),
  deploy: z.string().min(1).describe('Deploys a version: docker compose, a .ps1, an ssh script …'),
  stop: z.string().optional(),
  status: z.string().optional(),
  cwd: z.string().optional(),
  env: envVarsSchema.optional(),
  timeout: durationSchema.optional(),
});

const kubernetesTargetSchema = z.strictObject({
  type: z.literal('kubernetes'),
  namespace: z
    .string()
    .min(1)
    .describe('Namespace of the component; {environment} is filled in, e.g. shop-{environment}.'),
  deployment: z
    .string()
    .min(1)
    .describe(
      'The team’s Deployment: each version runs as a copy of it named <deployment>-<slot>.',
    ),
  container: z.string().optional().describe('Container that runs the image (default: the first).'),
  context: z.string().optional().describe('kubeconfig context (default: the current one).'),
  replicas: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Copies at full traffic (default: the Deployment’s own replicas).'),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe(
      'Port the pods serve on; with it each slot gets a Service <deployment>-<slot>, which a router inside the cluster splits traffic between.',
    ),
  readyTimeout: durationSchema.optional(),
});

export const targetSchema = z.discriminatedUnion('type', [
  processTargetSchema,
  commandTargetSchema,
  kubernetesTargetSchema,
]);

const artifactSchema = z.strictObject({
  image: z.string().min(1).describe('Repository of the artifact, e.g. ghcr.io/acme/api.'),
  allowMutableTag: z
    .boolean()
    .optional()
    .describe('Accept a tag without a digest for this component (discouraged).'),
});

const migrationsSchema = z.strictObject({
  tool: z
    .enum(['sql', 'command'])
    .describe('sql: the built-in runner; command: the team’s own tool.'),
  dir: z.string().optional().describe('Folder of NNN_name.up.sql / .down.sql files (tool: sql).'),
  command: z
    .string()
    .optional()
    .describe('The migration command (tool: command), e.g. alembic upgrade head.'),
  downCommand: z.string().optional(),
  down: z
    .enum(['never', 'when-safe', 'always'])
    .optional()
    .describe('Whether the rollback path runs down migrations.'),
  lint: z.boolean().optional().describe('Lint migrations before they run (a gate).'),
});

const appComponentSchema = z.strictObject({
  kind: z.enum(['service', 'frontend', 'worker', 'job']),
  description: z.string().optional(),
  artifact: artifactSchema.optional(),
  target: targetSchema.optional(),
  url: templatedTextSchema.optional().describe('Where the component answers once deployed.'),
});

const databaseComponentSchema = z.strictObject({
  kind: z.literal('database'),
  description: z.string().optional(),
  engine: z.enum(['postgres', 'mysql']),
  connection: secretRefSchema.describe('The connection string, as a secret reference.'),
  migrations: migrationsSchema.optional(),
  backup: z
    .strictObject({
      dir: z.string().optional(),
      retention: z.number().int().positive().optional().describe('How many backups to keep.'),
    })
    .optional(),
});

export const componentSchema = z.discriminatedUnion('kind', [
  appComponentSchema,
  databaseComponentSchema,
]);
export type ComponentInput = z.input<typeof componentSchema>;
