import { describe, expect, it } from 'vitest';
import { cliArgument, parseMap, parseServersState, parseStat } from './haproxy-client.js';

// Output captured from HAProxy 2.6 (Debian 12).
const SERVERS_STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be 1 stable 127.0.0.1 2 0 100 100 1 1 0 2 0 0 0 0 - 18081 - 0 0 - - 0
3 be 2 canary 127.0.0.1 0 5 0 0 1 1 0 0 8 0 0 0 - 1 - 0 0 - - 0

`;

describe('HAProxy runtime API answers', () => {
  it('parses show servers state by its header', () => {
    expect(parseServersState(SERVERS_STATE)).toEqual([
      {
        backend: 'be',
        name: 'stable',
        addr: '127.0.0.1',
        port: 18081,
        opState: 2,
        adminState: 0,
        weight: 100,
      },
      {
        backend: 'be',
        name: 'canary',
        addr: '127.0.0.1',
        port: 1,
        opState: 0,
        adminState: 5,
        weight: 0,
      },
    ]);
  });

  it('parses show stat, servers only', () => {
    const text =
      '# pxname,svname,qcur,stot,hrsp_5xx,\n' +
      'fe,FRONTEND,0,40,1,\n' +
      'be,stable,0,30,0,\n' +
      'be,canary,0,10,1,\n' +
      'be,BACKEND,0,40,1,\n';
    expect(parseStat(text)).toEqual([
      { backend: 'be', name: 'stable', requests: 30, errors5xx: 0 },
      { backend: 'be', name: 'canary', requests: 10, errors5xx: 1 },
    ]);
  });

  it('parses show map, values with spaces included', () => {
    const map = parseMap('0x55d0 on on\n0x55d1 html <p>back at 10 o clock</p>\n');
    expect(map.get('on')).toBe('on');
    expect(map.get('html')).toBe('<p>back at 10 o clock</p>');
  });

  it('escapes what the CLI parser would split on', () => {
    expect(cliArgument('a b;c\\d\ne')).toBe('a\\ b\\;c\\\\d\\ e');
  });
});
