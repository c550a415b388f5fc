import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import { findMariadb, startMariadb, type MariadbServer } from '../support/mariadb-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import {
  createReleases,
  deployConfirming,
  expectOk,
  junitReport,
  localSeed,
  waiveWindow,
  type LocalSeed,
} from './local-seed.js';

const found = findMariadb();
const skip = 'skip' in found ? found.skip : undefined;

describe.skipIf(skip !== undefined)(
  `examples/escola-connect with its local profile: the production plan end to end${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let mariadb: MariadbServer;
    let slack: WebhookReceiver;
    let seed: LocalSeed;
    let database: string;
    beforeAll(async () => {
      const started = await startMariadb();
      if ('skip' in started) throw new Error(started.skip);
      mariadb = started;
      slack = await startWebhookReceiver();
      database = await mariadb.createDatabase();
      seed = await localSeed('escola-connect', {
        ESCOLA_DATABASE_URL: database,
        SLACK_WEBHOOK_URL: slack.url,
        METRICS_TOKEN: 'metrics-token-0000',
      });
    });
    afterAll(async () => {
      await seed?.close();
      await slack?.close();
      await mariadb?.stop();
    });

    it('snapshot, maintenance on, migrate, checklist, deploy, cache clear and purge, maintenance off, verify, alerts, post-deploy checklist', async () => {
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
