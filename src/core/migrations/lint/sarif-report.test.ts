import { describe, expect, it } from 'vitest';
import type { LintReport } from './lint-finding.js';
import { LINT_RULE_IDS } from './rule-registry.js';
import { toSarif } from './sarif-report.js';

const report: LintReport = {
  ok: false,
  files: 2,
  statements: 5,
  findings: [
    {
      file: 'db/migrations/002_orders index.up.sql',
      line: 4,
      column: 1,
      rule: 'index-without-concurrently',
      severity: 'error',
      message: 'CREATE INDEX orders_idx blocks all writes to orders until the index is built',
      fix: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_idx ON orders …',
    },
    {
      file: '/abs/migrations/003_x.up.sql',
      line: 2,
      column: 3,
      rule: 'missing-statement-timeout',
      severity: 'warning',
      message: 'no statement_timeout',
      fix: "SET LOCAL statement_timeout = '30s'",
    },
  ],
  suppressed: [
    {
      file: './db/migrations/004_y.up.sql',
      line: 7,
      column: 1,
      rule: 'truncate-table',
      severity: 'error',
      message: 'TRUNCATE cache deletes every row',
      fix: 'delete in batches',
      reason: 'the cache is rebuilt on start',
      suppressedAt: 6,
    },
  ],
};

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        semanticVersion: string;
        rules: { id: string; name: string; defaultConfiguration: { level: string } }[];
      };
    };
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
      suppressions?: { kind: string; justification: string }[];
    }[];
  }[];
}

describe('toSarif', () => {
  const log = toSarif(report, '1.2.3') as unknown as SarifLog;
  const run = log.runs[0]!;

  it('is a SARIF 2.1.0 log with one run by eclusa that documents every rule', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'eclusa', semanticVersion: '1.2.3' });
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(LINT_RULE_IDS);
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: 'non-idempotent-ddl',
      name: 'NonIdempotentDdl',
      defaultConfiguration: { level: 'error' },
      shortDescription: { text: expect.any(String) as unknown },
      fullDescription: { text: expect.any(String) as unknown },
      help: {
        text: expect.stringContaining('Safe rewrite:') as unknown,
        markdown: expect.any(String) as unknown,
      },
    });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('has one result per finding, pointing at its rule, file and line', () => {
    expect(run.results).toHaveLength(3);
    for (const result of run.results)
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(run.results[0]).toMatchObject({
      ruleId: 'index-without-concurrently',
      level: 'error',
      message: {
        text: 'CREATE INDEX orders_idx blocks all writes to orders until the index is built. Safe rewrite: CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_idx ON orders …',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              uri: 'db/migrations/002_orders%20index.up.sql',
              uriBaseId: '%SRCROOT%',
            },
            region: { startLine: 4, startColumn: 1 },
          },
        },
      ],
    });
    expect(run.results[1]).toMatchObject({
      level: 'warning',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'file:///abs/migrations/003_x.up.sql' } } },
      ],
    });
    expect(run.results[0]).not.toHaveProperty('suppressions');
  });

  it('keeps suppressed findings as results suppressed in source, with the written reason', () => {
    expect(run.results[2]).toMatchObject({
      ruleId: 'truncate-table',
      suppressions: [{ kind: 'inSource', justification: 'the cache is rebuilt on start' }],
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'db/migrations/004_y.up.sql' } } },
      ],
    });
  });
});
