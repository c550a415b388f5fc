import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../load-policy.js';
import { lineOf, withReplaced } from '../../../../test/policy/policy-fixture.js';

/** The init template with `router` lines added to production, after its tier. */
function withRouter(lines: string): string {
  return withReplaced(
    '  - name: production\n    tier: production\n',
    `  - name: production\n    tier: production\n${lines}`,
  );
}

function codes(text: string): string[] {
  return validatePolicyText('eclusa.yaml', text).errors.map((issue) => issue.code);
}

describe('router policy', () => {
  it.each([
    '    router: { type: builtin, listen: 8080 }\n',
    '    router: { type: haproxy, manage: true, listen: 8080 }\n',
    '    router: { type: haproxy, socket: /run/haproxy/admin.sock, backend: web, maintenanceMap: /etc/haproxy/m.map }\n',
    '    router: { type: nginx, manage: true, listen: 8080 }\n',
    '    router: { type: nginx, listen: 8080, config: /etc/nginx/conf.d/eclusa.conf, reload: "systemctl reload nginx" }\n',
  ])('accepts %s', (lines) => {
    expect(validatePolicyText('eclusa.yaml', withRouter(lines)).errors).toEqual([]);
  });

  it('names what a managed HAProxy lacks, at the router’s line', () => {
    const text = withRouter('    router:\n      type: haproxy\n      manage: true\n');
    const result = validatePolicyText('eclusa.yaml', text);
    expect(result.errors).toMatchObject([
      {
        code: 'ROUTER_INCOMPLETE',
        line: lineOf(text, 'type: haproxy'),
        hint: expect.stringContaining('listen') as unknown,
      },
    ]);
  });

  it('asks for the admin socket of an HAProxy the team runs', () => {
    expect(codes(withRouter('    router: { type: haproxy, backend: web }\n'))).toEqual([
      'ROUTER_INCOMPLETE',
    ]);
  });

  it('refuses a socket for a managed HAProxy', () => {
    expect(
      codes(
        withRouter('    router: { type: haproxy, manage: true, listen: 8080, socket: /x.sock }\n'),
      ),
    ).toEqual(['ROUTER_CONFLICT']);
  });

  it('asks nginx for the file to render unless eclusa manages it', () => {
    expect(codes(withRouter('    router: { type: nginx, listen: 8080 }\n'))).toEqual([
      'ROUTER_INCOMPLETE',
    ]);
  });

  it('suggests the router type when it is misspelled', () => {
    const result = validatePolicyText(
      'eclusa.yaml',
      withRouter('    router: { type: haproxxy, listen: 8080 }\n'),
    );
    expect(result.errors[0]?.hint).toContain('haproxy');
  });
});
