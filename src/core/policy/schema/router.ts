import { z } from 'zod';

const portSchema = z.number().int().min(1).max(65535);
const hostSchema = z.string().min(1).describe('Address to listen on (default 127.0.0.1).');
const pathSchema = z.string().min(1);
const componentSchema = z
  .string()
  .min(1)
  .optional()
  .describe('The component the router fronts (default: the first one deployed).');

const builtinRouterSchema = z
  .strictObject({
    type: z.literal('builtin'),
    component: componentSchema,
    listen: portSchema.describe('Port clients connect to on this machine.'),
    host: hostSchema.optional(),
  })
  .describe(
    'eclusa’s own reverse proxy, run as its own process (the default, nothing to install).',
  );

/*
 * HAProxy in one of two ways: `manage: true` renders haproxy.cfg under ECLUSA_HOME and starts
 * haproxy itself (a VM without a load balancer yet); otherwise eclusa drives an HAProxy the
 * team already runs, through its admin socket. Which fields each way needs is checked by the
 * router rule, so one message can name the missing field.
 */
const haproxyRouterSchema = z
  .strictObject({
    type: z.literal('haproxy'),
    component: componentSchema,
    manage: z
      .boolean()
      .optional()
      .describe('true: eclusa renders haproxy.cfg and starts haproxy itself (needs listen).'),
    listen: portSchema.optional().describe('Port of the frontend eclusa renders (manage: true).'),
    host: hostSchema.optional(),
    binary: pathSchema.optional().describe('The haproxy executable (default: haproxy on PATH).'),
    socket: pathSchema
      .optional()
      .describe('Admin socket of a running HAProxy (stats socket … level admin).'),
    backend: z
      .string()
      .min(1)
      .optional()
      .describe('The backend holding the two servers (default: eclusa_<environment>).'),
    servers: z
      .strictObject({
        stable: z.string().min(1).describe('Server that carries the stable version.'),
        canary: z.string().min(1).describe('Server that carries the canary version.'),
      })
      .optional()
      .describe('Names of the two servers in the backend (default: stable and canary).'),
    maintenanceMap: pathSchema
      .optional()
      .describe(
        'Map file toggled for maintenance mode; the frontend must use it (see docs/routers.md).',
      ),
  })
  .describe('HAProxy: weights changed live through the runtime API, no reload.');

const nginxRouterSchema = z
  .strictObject({
    type: z.literal('nginx'),
    component: componentSchema,
    manage: z
      .boolean()
      .optional()
      .describe('true: eclusa writes a whole nginx.conf and starts nginx itself.'),
    listen: portSchema.describe('Port of the server block eclusa renders.'),
    host: hostSchema.optional(),
    binary: pathSchema.optional().describe('The nginx executable (default: nginx on PATH).'),
    config: pathSchema
      .optional()
      .describe('File eclusa renders (include it in nginx’s http block); needed unless manage.'),
    mainConfig: pathSchema
      .optional()
      .describe('nginx’s main configuration, passed as -c to nginx -t and nginx -s reload.'),
    upstream: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, { message: 'must be letters, digits and "_"' })
      .optional()
      .describe('Name of the rendered upstream (default: eclusa_<environment>).'),
    reload: z
      .string()
      .min(1)
      .optional()
      .describe('Command that reloads nginx gracefully (default: nginx -s reload).'),
  })
  .describe('nginx: a rendered weighted upstream, checked by nginx -t, then a graceful reload.');

/** How traffic reaches an environment's versions. */
export const routerSchema = z
  .discriminatedUnion('type', [builtinRouterSchema, haproxyRouterSchema, nginxRouterSchema])
  .describe('The traffic router of the environment (blue/green switch, canary weights).');
export type RouterInput = z.input<typeof routerSchema>;
export type RouterConfig = z.output<typeof routerSchema>;
