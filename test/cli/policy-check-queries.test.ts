import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOf, withReplaced } from '../policy/policy-fixture.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { runCli } from './run-cli.js';

/** The init template whose `health` analysis reads Prometheus at `url` with two custom queries. */
function policyWith(url: string): string {
  return withReplaced(
    `  health:
    interval: 10s
    conditions:`,
    `  health:
    source: prometheus
    prometheusUrl: ${url}
    interval: 10s
    conditions:
      - metric: canary_5xx
        query: sum(rate(http_requests_total{instance="{{canary}}",code=~"5.."}[1m]))
        failWhen: "> 1"
      - metric: canary_broken
        query: sum(rate(http_requests_total{instance="{{canary}}"}[1m])
        failWhen: "> 1"`,
  );
}

let prometheus: PrometheusServer | { skip: string };
const dirs: string[] = [];
beforeAll(async () => {
  prometheus = await startPrometheus([]);
});
afterAll(async () => {
  if (!('skip' in prometheus)) await prometheus.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(text: string): { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eclusa-policy-queries-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'eclusa.yaml'), text);
  return { dir };
}

describe('policy check asks Prometheus to parse the policy’s queries (real Prometheus)', () => {
  it('reports a query Prometheus refuses at its line, with Prometheus’ own message', async (context) => {
    if ('skip' in prometheus) return context.skip(prometheus.skip);
    const text = policyWith(prometheus.url);
    const { dir } = project(text);
    const human = await runCli(['policy', 'check'], { cwd: dir });
    expect(human.code).toBe(2);
    const line = lineOf(text, 'query: sum(rate(http_requests_total{instance="{{canary}}"}[1m])');
    expect(human.stderr).toMatch(
      new RegExp(`^eclusa\\.yaml:${line}:\\d+ INVALID_QUERY .*parse error`, 'm'),
    );
    // The valid query above it is not reported.
    expect(human.stderr.match(/INVALID_QUERY/g)).toHaveLength(1);

    const json = await runCli(['policy', 'check', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    const body = JSON.parse(json.stdout) as {
      ok: boolean;
      errors: { file: string; line: number; code: string; path: string; message: string }[];
      unchecked: unknown[];
    };
    expect(body.ok).toBe(false);
    expect(body.errors).toMatchObject([
      {
        file: 'eclusa.yaml',
        line,
        code: 'INVALID_QUERY',
        path: 'analyses.health.conditions[1].query',
      },
    ]);
    expect(body.unchecked).toEqual([]);

    const fixed = project(text.replace('[1m])\n', '[1m]))\n'));
    const ok = await runCli(['policy', 'check'], { cwd: fixed.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('policy is valid');
  });

  it('warns, without failing, when Prometheus cannot be asked', async () => {
    const { dir } = project(policyWith('http://127.0.0.1:9'));
    const human = await runCli(['policy', 'check', '--strict'], { cwd: dir });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(
      /warning: the queries for http:\/\/127\.0\.0\.1:9 were not checked \(.*unreachable.*\); they will be checked at the first analysis/,
    );
    const json = await runCli(['policy', 'check', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      errors: [],
      unchecked: [{ prometheusUrl: 'http://127.0.0.1:9' }],
    });
  });
});
