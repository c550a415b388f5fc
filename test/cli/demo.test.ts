import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin } from './run-cli.js';

/** Processes whose command line or working directory lies under `dir`. */
function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('eclusa demo (real processes: sample app, supervisors, builtin routers)', () => {
  it('tells the whole story, rolls the broken release back, and leaves nothing running', () => {
    const human = runBin(['demo']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('INLINE_SECRET');
    expect(human.stdout).toContain('CANARY_INCOMPLETE');
    expect(human.stdout).toContain('undo  traffic');
    expect(human.stdout + human.stderr).not.toContain('hunter2');
    expect(human.stdout).toMatch(/2\.0\.0 is live in production/);
    expect(human.stdout).toMatch(/rolled_back: rolled back after step-failed/);
    expect(human.stdout).toMatch(/audit verify: intact/);
    const home = /working in (\S+)/.exec(human.stdout)?.[1];
    expect(home).toBeDefined();
    expect(existsSync(home ?? '/')).toBe(false);
    expect(processesUnder(home ?? '/nonexistent')).toEqual([]);

    const json = runBin(['demo', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as {
      ok: boolean;
      plan: { steps: unknown[] };
      rejected: { code: string }[];
      deployments: { release: string; environment: string; status: string }[];
      auditOk: boolean;
    };
    expect(body.ok).toBe(true);
    expect(body.plan.steps.length).toBeGreaterThan(10);
    expect(body.rejected.map((issue) => issue.code)).toEqual([
      'INLINE_SECRET',
      'INVALID_VALUE',
      'UNKNOWN_REFERENCE',
      'CANARY_INCOMPLETE',
    ]);
    expect(body.deployments.map((d) => `${d.release}@${d.environment}:${d.status}`)).toEqual([
      '1.0.0@staging:succeeded',
      '1.0.0@production:succeeded',
      '2.0.0@staging:succeeded',
      '2.0.0@production:succeeded',
      '3.0.0@staging:rolled_back',
    ]);
    expect(body.auditOk).toBe(true);
  });
});
