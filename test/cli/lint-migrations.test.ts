import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LINT_RULE_IDS } from '../../src/core/migrations/lint/rule-registry.js';
import { runBin, runCli } from './run-cli.js';

let dir: string;

function write(files: Record<string, string>): void {
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, 'migrations', name), text);
}

const SAFE = {
  '001_orders.up.sql': 'CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, note text);',
  '001_orders.down.sql':
    "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nDROP TABLE IF EXISTS orders;",
};
const UNSAFE = {
  ...SAFE,
  '002_index.up.sql':
    "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nCREATE INDEX IF NOT EXISTS orders_note ON orders (note);",
  '003_cache.up.sql': "SET LOCAL lock_timeout = '5s';\nTRUNCATE orders;",
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eclusa-lint-'));
});

describe('eclusa lint migrations', () => {
  it('exits 0 on safe migrations and says what it read', async () => {
    write(SAFE);
    const result = await runCli(['lint', 'migrations', 'migrations'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0 error(s), 0 warning(s) in 2 file(s), 4 statement(s)\n');
  });

  it('prints FILE:LINE RULE severity message (fix) and exits 3 when any finding is an error', async () => {
    write(UNSAFE);
    const result = await runCli(['lint', 'migrations', 'migrations'], { cwd: dir });
    expect(result.code).toBe(3);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'migrations/002_index.up.sql:3 index-without-concurrently error CREATE INDEX orders_note blocks all writes to orders until the index is built (CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note ON orders …; use CONCURRENTLY in a file that starts with -- eclusa:no-transaction, one index per file)',
      expect.stringMatching(
        /^migrations\/003_cache\.up\.sql:2 truncate-table error TRUNCATE orders deletes every row .* \(.+\)$/,
      ),
      expect.stringMatching(/^migrations\/003_cache\.up\.sql:2 missing-statement-timeout warning /),
      '2 error(s), 1 warning(s) in 4 file(s), 9 statement(s)',
    ]);
  });

  it('exits 0 when the findings are only warnings', async () => {
    write({
      '001_x.up.sql':
        "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS a text;",
    });
    const result = await runCli(['lint', 'migrations', join(dir, 'migrations')], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('missing-statement-timeout warning');
  });

  it('--json prints one document with the contract fields', async () => {
    write(UNSAFE);
    const result = await runCli(['lint', 'migrations', 'migrations', '--json'], { cwd: dir });
    expect(result.code).toBe(3);
    const body = JSON.parse(result.stdout) as {
      ok: boolean;
      findings: Record<string, unknown>[];
      files: number;
    };
    expect(body.ok).toBe(false);
    expect(body.files).toBe(4);
    expect(body.findings[0]).toEqual({
      file: 'migrations/002_index.up.sql',
      line: 3,
      column: 1,
      rule: 'index-without-concurrently',
      severity: 'error',
      message: expect.any(String) as unknown,
      fix: expect.any(String) as unknown,
    });
    expect(result.stderr).toBe('');
  });

  it('--format sarif prints a SARIF 2.1.0 log', async () => {
    write(UNSAFE);
    const result = await runCli(['lint', 'migrations', 'migrations', '--format', 'sarif'], {
      cwd: dir,
    });
    expect(result.code).toBe(3);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(LINT_RULE_IDS);
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toEqual([
      'index-without-concurrently',
      'truncate-table',
      'missing-statement-timeout',
    ]);
  });

  it('--release judges expand/contract drops', async () => {
    write({
      '001_deprecate.up.sql': '-- eclusa:deprecate table legacy since 1.0.0\n',
      '002_drop.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nDROP TABLE IF EXISTS legacy;",
    });
    const unknown = await runCli(['lint', 'migrations', 'migrations'], { cwd: dir });
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toContain('pass --release');
    const later = await runCli(['lint', 'migrations', 'migrations', '--release', '1.1.0'], {
      cwd: dir,
    });
    expect(later.code).toBe(0);
  });

  it('exits 2 for a missing folder, a bad release or a bad format', async () => {
    const missing = await runCli(['lint', 'migrations', 'nope'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'error MIGRATIONS_DIR_NOT_FOUND: migrations folder "nope" does not exist',
    );
    const json = await runCli(['lint', 'migrations', 'nope', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'MIGRATIONS_DIR_NOT_FOUND' },
    });
    write(SAFE);
    const release = await runCli(['lint', 'migrations', 'migrations', '--release', 'soon'], {
      cwd: dir,
    });
    expect(release.code).toBe(2);
    expect(release.stderr).toContain('INVALID_RELEASE');
    const format = await runCli(['lint', 'migrations', 'migrations', '--format', 'xml'], {
      cwd: dir,
    });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('use one of text, json, sarif');
    const usage = await runCli(['lint', 'migrations'], { cwd: dir });
    expect(usage.code).toBe(2);
  });

  it('works from the built bin, which loads the parser from node_modules', () => {
    write(UNSAFE);
    const result = runBin(['lint', 'migrations', 'migrations', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    expect((JSON.parse(result.stdout) as { findings: unknown[] }).findings).toHaveLength(3);
  });
});
