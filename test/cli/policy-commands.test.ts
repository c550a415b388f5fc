import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { PLAN_STEP_KINDS } from '../../src/core/plan/plan.js';
import { runBin, runCli } from './run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eclusa-cli-'));
});

describe('eclusa init', () => {
  it('writes a valid eclusa.yaml without asking (--yes), and refuses to overwrite it', async () => {
    const first = await runCli(['init', '--yes', '--project', 'shop'], {
      cwd: dir,
      env: { ECLUSA_ACTOR: 'ana' },
    });
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'eclusa.yaml'), 'utf8')).toContain('name: shop');
    expect(readdirSync(dir)).toEqual(['eclusa.yaml']);

    const check = await runCli(['policy', 'check'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('policy is valid: shop, staging → production');

    const again = await runCli(['init', '--yes'], { cwd: dir });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('POLICY_EXISTS');
    expect(again.stderr).toContain('--force');
  });

  it('answers --json with one document', async () => {
    const result = await runCli(['init', '--yes', '--json', '--project', 'shop'], { cwd: dir });
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, file: 'eclusa.yaml', project: 'shop' });
  });
});

describe('eclusa policy check', () => {
  it('prints FILE:LINE:COL CODE message (hint) and exits 2 on an invalid policy', async () => {
    await runCli(['init', '--yes', '--project', 'shop'], { cwd: dir });
    const file = join(dir, 'eclusa.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tier: production', 'tier: prodution'));
    const result = await runCli(['policy', 'check'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^eclusa\.yaml:\d+:11 INVALID_VALUE environments\[1\]\.tier is string "prodution", expected one of development, staging, production \(did you mean "production"\?\)$/m,
    );
    expect(result.stdout).toBe('');
  });

  it('--json has the contract shape', async () => {
    const result = await runCli(['policy', 'check', '--json', '--file', 'missing.yaml'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { ok: boolean; errors: Record<string, unknown>[] };
    expect(body.ok).toBe(false);
    expect(body.errors[0]).toMatchObject({
      file: 'missing.yaml',
      line: 1,
      column: 1,
      code: 'POLICY_NOT_FOUND',
    });
    expect(Object.keys(body.errors[0] ?? {})).toEqual(
      expect.arrayContaining(['file', 'line', 'column', 'code', 'message', 'hint']),
    );
  });

  it('reads ECLUSA_POLICY when no --file is given', async () => {
    await runCli(['init', '--yes', '--project', 'shop', '--file', 'policy/release.yaml'], {
      cwd: dir,
    }).catch(() => undefined);
    const result = await runCli(['policy', 'check'], {
      cwd: dir,
      env: { ECLUSA_POLICY: 'nowhere.yaml' },
    });
    expect(result.stderr).toContain('nowhere.yaml:1:1 POLICY_NOT_FOUND');
  });
});

describe('eclusa plan', () => {
  it('lists steps with the contract vocabulary and the rollback path, as JSON', async () => {
    await runCli(['init', '--yes', '--project', 'shop'], { cwd: dir });
    const result = await runCli(['plan', '--release', '1.4.0', '--env', 'production', '--json'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      release: string;
      environment: string;
      steps: { id: string; kind: string; name: string }[];
      rollback: { steps: { kind: string }[] };
    };
    expect(plan.release).toBe('1.4.0');
    expect(plan.environment).toBe('production');
    for (const step of plan.steps) expect(PLAN_STEP_KINDS).toContain(step.kind);
    const ids = plan.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const kinds = plan.steps.map((s) => s.kind);
    expect(kinds.indexOf('backup')).toBeLessThan(kinds.indexOf('migrate'));
    expect(kinds.indexOf('approval')).toBeLessThan(kinds.indexOf('backup'));
    expect(plan.rollback.steps.map((s) => s.kind)).toEqual(['traffic', 'deploy', 'verify']);
  });

  it('exits 2 for an unknown environment, naming the known ones', async () => {
    await runCli(['init', '--yes', '--project', 'shop'], { cwd: dir });
    const result = await runCli(['plan', '--release', '1.4.0', '--env', 'prod'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('UNKNOWN_ENVIRONMENT');
    expect(result.stderr).toContain('known environments: staging, production');
  });

  it('exits 2 for a release that is not SemVer', async () => {
    await runCli(['init', '--yes', '--project', 'shop'], { cwd: dir });
    const result = await runCli(['plan', '--release', 'v1', '--env', 'production', '--json'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VERSION' },
    });
  });

  it('exits 2 on usage errors', async () => {
    const result = await runCli(['plan', '--env', 'production'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--release <version>' not specified");
  });
});

describe('the eclusa bin', () => {
  it('prints its version and runs policy schema as a real process', () => {
    const version = runBin(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const schema = runBin(['policy', 'schema']);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ title: 'eclusa release policy' });
  });

  it('exits 2 on an unknown command and suggests the closest one', () => {
    const result = runBin(['polcy', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('policy');
  });
});
