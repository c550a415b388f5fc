import type { PolicyRule } from './rule-context.js';

/**
 * A router must say how eclusa reaches it: a managed HAProxy or nginx needs the port it
 * listens on; one the team runs needs its admin socket (HAProxy) or the file eclusa renders
 * (nginx).
 */
export const routerRule: PolicyRule = (policy, context) => {
  for (const environment of policy.environments) {
    const router = environment.router;
    if (router === undefined) continue;
    const at = [...environment.source, 'router'];
    if (router.type === 'haproxy') {
      if (router.manage === true && router.listen === undefined) {
        context.error(
          at,
          'ROUTER_INCOMPLETE',
          'a managed HAProxy needs the port its frontend listens on',
          'add listen: 8080 (or set manage: false and give socket and backend)',
        );
      }
      if (router.manage !== true && router.socket === undefined) {
        context.error(
          at,
          'ROUTER_INCOMPLETE',
          'eclusa drives this HAProxy through its admin socket, but none is given',
          'add socket: /run/haproxy/admin.sock (a "stats socket … level admin"), or manage: true',
        );
      }
      if (router.manage === true && router.socket !== undefined) {
        context.error(
          [...at, 'socket'],
          'ROUTER_CONFLICT',
          'a managed HAProxy gets its admin socket under ECLUSA_HOME; socket is for one you run',
          'remove socket, or remove manage: true',
        );
      }
    }
    if (router.type === 'nginx' && router.manage !== true && router.config === undefined) {
      context.error(
        at,
        'ROUTER_INCOMPLETE',
        'eclusa renders the upstream into a file that nginx includes, but no file is given',
        'add config: /etc/nginx/conf.d/eclusa.conf (included in the http block), or manage: true',
      );
    }
  }
};
