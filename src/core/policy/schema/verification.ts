import { z } from 'zod';
import { durationSchema, envVarsSchema, nameSchema, templatedTextSchema } from './common.js';

const retrySchema = {
  retries: z.number().int().min(0).max(100).optional(),
  interval: durationSchema.optional(),
  timeout: durationSchema.optional().describe('Deadline for the whole check, retries included.'),
};

const loginSchema = z.strictObject({
  url: templatedTextSchema,
  method: z.enum(['POST', 'PUT', 'GET']).optional(),
  body: z
    .record(z.string(), templatedTextSchema)
    .optional()
    .describe('Credentials as ${env:NAME}.'),
  tokenPath: z
    .string()
    .min(1)
    .describe('JSON path of the token in the answer, e.g. $.access_token.'),
  header: z
    .string()
    .optional()
    .describe('Header that carries the token (default Authorization: Bearer).'),
});

export const verificationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    description: z.string().optional(),
    url: templatedTextSchema,
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    headers: z.record(z.string(), templatedTextSchema).optional(),
    body: z.string().optional(),
    login: loginSchema.optional().describe('Log in first and send the token with this request.'),
    expect: z
      .strictObject({
        status: z.union([z.number().int(), z.array(z.number().int())]).optional(),
        bodyContains: z.string().optional(),
        json: z
          .strictObject({ path: z.string().min(1), equals: z.unknown().optional() })
          .optional(),
      })
      .optional(),
    ...retrySchema,
  }),
  z.strictObject({
    type: z.literal('bundle'),
    description: z.string().optional(),
    url: templatedTextSchema.describe('The page that must reference the new frontend bundle.'),
    component: nameSchema,
    ...retrySchema,
  }),
  z.strictObject({
    type: z.literal('command'),
    description: z.string().optional(),
    run: z.string().min(1).describe('Newman, pytest, a smoke script …: exit code 0 passes.'),
    cwd: z.string().optional(),
    env: envVarsSchema.optional(),
    ...retrySchema,
  }),
]);
export type VerificationInput = z.input<typeof verificationSchema>;
