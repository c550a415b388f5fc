import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin } from './run-cli.js';

describe('eclusa demo', () => {
  it('runs the story end to end, shows the refusals, never prints the pasted password, and cleans up', () => {
    const human = runBin(['demo']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('INLINE_SECRET');
    expect(human.stdout).toContain('CANARY_INCOMPLETE');
    expect(human.stdout).toContain('undo  traffic');
    expect(human.stdout + human.stderr).not.toContain('hunter2');
    const home = /working in (\S+)/.exec(human.stdout)?.[1];
    expect(home).toBeDefined();
    expect(existsSync(home ?? '/')).toBe(false);

    const json = runBin(['demo', '--json']);
    const body = JSON.parse(json.stdout) as {
      ok: boolean;
      plan: { steps: unknown[] };
      rejected: { code: string }[];
    };
    expect(body.ok).toBe(true);
    expect(body.plan.steps.length).toBeGreaterThan(10);
    expect(body.rejected.map((issue) => issue.code)).toEqual([
      'INLINE_SECRET',
      'INVALID_VALUE',
      'UNKNOWN_REFERENCE',
      'CANARY_INCOMPLETE',
    ]);
  });
});
