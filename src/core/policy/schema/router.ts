import { z } from 'zod';

const portSchema = z.number().int().min(1).max(65535);

const builtinRouterSchema = z.strictObject({
  type: z.literal('builtin'),
  listen: portSchema.describe('Port clients connect to on this machine.'),
  host: z.string().optional().describe('Address to listen on (default 127.0.0.1).'),
  component: z
    .string()
    .optional()
    .describe('The component it fronts (default: the first one deployed).'),
});

/** How traffic reaches an environment's versions. */
export const routerSchema = z
  .discriminatedUnion('type', [builtinRouterSchema])
  .describe('The traffic router of the environment (blue/green switch, canary weights).');
export type RouterInput = z.input<typeof routerSchema>;
