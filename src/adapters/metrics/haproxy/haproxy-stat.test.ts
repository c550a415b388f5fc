import { describe, expect, it } from 'vitest';
import { parseShowStat, serverCounters } from './haproxy-stat.js';

const csv = [
  '# pxname,svname,scur,econ,eresp,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,rtime,req_tot',
  'web,FRONTEND,0,,,0,40,0,0,2,0,,42',
  'app,canary,0,1,0,0,18,0,0,2,0,312,',
  'app,BACKEND,0,1,0,0,40,0,0,2,0,150,42',
  '',
].join('\n');

describe('show stat', () => {
  it('finds columns by name and reads a server row', () => {
    const rows = parseShowStat(csv);
    if (typeof rows === 'string') throw new Error(rows);
    const canary = rows.find((row) => row['svname'] === 'canary')!;
    expect(serverCounters(canary, '2026-03-02T12:00:00Z')).toEqual({
      at: '2026-03-02T12:00:00Z',
      counters: [0, 18, 0, 0, 2, 0, 1, 0],
      rtimeMs: 312,
    });
  });

  it('refuses what is not its CSV, and counters that are not counts', () => {
    expect(
      parseShowStat('Unknown command. Please enter one of the following commands only :'),
    ).toMatch(/^not the CSV of "show stat"/);
    const rows = parseShowStat(csv.replace(',1,0,0,18,', ',x,0,0,18,'));
    if (typeof rows === 'string') throw new Error(rows);
    expect(serverCounters(rows[1]!, 'now')).toBe('econ is "x"');
  });
});
