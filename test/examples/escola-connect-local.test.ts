import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import {
  createReleases,
  deployConfirming,
  expectOk,
  junitReport,
  waiveWindow,
} from './local-seed.js';
import { describeLocalSeed, MARIADB } from './describe-local-seed.js';

describeLocalSeed(
  'escola-connect',
  MARIADB,
  async (mariadb, slack) => {
    const database = await mariadb.createDatabase();
    return {
      ESCOLA_DATABASE_URL: database,
      SLACK_WEBHOOK_URL: slack.url,
      METRICS_TOKEN: 'metrics-token-0000',
    };
  },
  (current) => {
    it('snapshot, maintenance on, migrate, checklist, deploy, cache clear and purge, maintenance off, verify, alerts, post-deploy checklist', async () => {
      const { seed, slack, server: mariadb, env } = current();
      const database = env['ESCOLA_DATABASE_URL'] ?? '';
      const { run } = seed;
      expectOk(run('ci', 'policy', 'check'));
      createReleases(seed, ['0.9.0', '1.0.0'], {
        api: 'ghcr.io/escola-connect/escola-connect-api',
      });
      expectOk(
        run('marina.dev', 'deployment', 'record', '--release', '0.9.0', '--env', 'production'),
      );

      const lcov = join(seed.dir, 'coverage.lcov');
      writeFileSync(lcov, 'TN:\nSF:src/Escola.php\nLF:200\nLH:176\nend_of_record\n');
      const report = (check: string, ...more: string[]) =>
        expectOk(
          run(
            'ci',
            'check',
            'report',
            '--release',
            '1.0.0',
            '--check',
            check,
            '--status',
            'pass',
            ...more,
          ),
        );
      report('ci');
      report('phpunit', '--evidence', junitReport(seed.dir, 'phpunit', 80));
      report('coverage', '--evidence', lcov);
      expectOk(
        run(
          'marina.dev',
          'checklist',
          'confirm',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--checklist',
          'readiness',
          '--all',
        ),
      );
      for (const [who, role] of [
        ['carla.infra', 'infra'],
        ['beatriz.produto', 'produto'],
      ] as const)
        expectOk(run(who, 'approve', '--release', '1.0.0', '--env', 'production', '--role', role));
      // Outside Tue–Thu 21:00–23:30 the window gate refuses; an owner-approved waiver is the way.
      waiveWindow(seed, '1.0.0', 'production', { requester: 'lucas.dev', approver: 'paulo.dev' });
      expectOk(run('lucas.dev', 'gates', '--release', '1.0.0', '--env', 'production'));

      const production = await deployConfirming(seed, 'lucas.dev', '1.0.0', 'production', {
        'migrations-consistent': 'marina.dev',
        'post-deploy': 'sofia.qa',
      });
      expectOk(production.result);
      const steps = production.deployment?.steps ?? [];
      expect(
        steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(steps),
      ).toBe(true);
      expect(
        steps.filter((s) => s.kind !== 'gate' && s.kind !== 'notify').map((s) => s.id),
      ).toEqual([
        'window',
        'checklist-readiness',
        'approval',
        'backup-db',
        'maintenance-on',
        'migrate-db',
        'checklist-migrations-consistent',
        'deploy-api',
        'cache-clear-aggregates',
        'cache-purge-http',
        'maintenance-off',
        'verify',
        'analysis-alerts',
        'checklist-post-deploy',
      ]);

      const live = await get(`${seed.routers['production']}/version`);
      expect(JSON.parse(live.body)).toEqual({ version: '1.0.0' });
      const tables = await mariadb.sql('SHOW TABLES', new URL(database).pathname.slice(1));
      expect(tables).toContain('sync_mutations');
      for (const format of ['md', 'html']) {
        const evidence = run('ci', 'evidence', production.deployment?.id ?? '', '--format', format);
        expectOk(evidence);
        expect(evidence.stdout).toContain('/v1/cidades');
        expect(evidence.stdout).not.toContain('metrics-token-0000');
      }
      const texts = slack.received.map((m) => String(m['text']));
      expect(texts).toContain('escola-connect-api 1.0.0 in production: succeeded');
      expect(slack.received.map((m) => m['channel'])).toEqual(
        expect.arrayContaining(['#operacoes', '#promotores']),
      );
      expectOk(run('ci', 'audit', 'verify'));
    }, 180_000);
  },
);
