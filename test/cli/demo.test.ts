import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
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
  it(
    'tells the whole story, rolls the broken releases back, and leaves nothing running',
    { timeout: 300_000 },
    () => {
      const human = runBin(['demo']);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain('INLINE_SECRET');
      expect(human.stdout).toContain('CANARY_INCOMPLETE');
      expect(human.stdout).toContain('undo  traffic');
      expect(human.stdout + human.stderr).not.toContain('hunter2');
      expect(human.stdout).toMatch(/2\.0\.0 is live in production/);
      expect(human.stdout).toMatch(/rolled_back: rolled back after step-failed/);
      expect(human.stdout).toMatch(/audit verify: intact/);
      // The canary act: 10 → 50 → 100 judged live, then a 5xx regression rolled back with an incident.
      expect(human.stdout).toMatch(
        /analyse canary-health at 10% for 5s[^]*analyse canary-health at 50%/,
      );
      expect(human.stdout).toMatch(/4\.1\.0 is live in eu/);
      expect(human.stdout).toMatch(/verdict: analysis canary-health failed: canary 5xx /);
      expect(human.stdout).toMatch(
        /! incident inc_\w+ \(p1\) opened: analysis canary-health failed: canary 5xx /,
      );
      expect(human.stdout).toMatch(
        /rolled_back: rolled back after analysis-failed at rollout-1-analysis/,
      );
      const home = /working in (\S+)/.exec(human.stdout)?.[1];
      expect(home).toBeDefined();
      expect(existsSync(home ?? '/')).toBe(false);
      expect(processesUnder(home ?? '/nonexistent')).toEqual([]);
      // The evidence pages it lists are still there to open, and hold no secret.
      const pages = [...human.stdout.matchAll(/evidence: (\S+\.html)/g)].map((m) => m[1] ?? '');
      expect(pages).toHaveLength(3);
      for (const page of pages) {
        expect(readFileSync(page, 'utf8')).toContain('<html');
        expect(readFileSync(page, 'utf8')).not.toContain('hunter2');
      }
      rmSync(dirname(pages[0] ?? ''), { recursive: true, force: true });

      const json = runBin(['demo', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const body = JSON.parse(json.stdout) as {
        ok: boolean;
        plan: { steps: unknown[] };
        rejected: { code: string }[];
        deployments: { release: string; environment: string; status: string }[];
        auditOk: boolean;
        evidence: string[];
        canary: {
          verdict: string;
          incident: {
            id: string;
            severity: string;
            status: string;
            trigger: string;
            release: string;
          };
          load: Record<string, number>;
        };
      };
      expect(body.ok).toBe(true);
      expect(body.evidence.every((page) => existsSync(page))).toBe(true);
      rmSync(dirname(body.evidence[0] ?? ''), { recursive: true, force: true });
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
        '4.0.0@eu:succeeded',
        '4.1.0@eu:succeeded',
        '4.2.0@eu:rolled_back',
      ]);
      expect(body.canary.verdict).toMatch(/^analysis canary-health failed: canary 5xx /);
      expect(body.canary.incident).toMatchObject({
        severity: 'p1',
        status: 'open',
        trigger: 'analysis-failed',
        release: '4.2.0',
      });
      // The load the demo drove reached the apps through the router.
      expect(body.canary.load['200']).toBeGreaterThan(200);
      expect(body.auditOk).toBe(true);
    },
  );
});
