import { expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import {
  createReleases,
  deployConfirming,
  expectOk,
  junitReport,
  waiveWindow,
} from './local-seed.js';
import { describeLocalSeed, POSTGRES } from './describe-local-seed.js';

describeLocalSeed(
  'auditoria360',
  POSTGRES,
  (postgres, slack) => ({
    PRODUCTION_DATABASE_URL: postgres.url,
    SLACK_WEBHOOK_URL: slack.url,
    SMTP_URL: 'smtp://127.0.0.1:1',
  }),
  (current) => {
    it('backup, green beside blue, migrate, warm-up, verify green, 10 → 50 → 100 with analyses, monitoring, post-deploy checklist', async () => {
      const { seed, slack } = current();
      const { run } = seed;
      expectOk(run('ci', 'policy', 'check'));
      createReleases(seed, ['0.9.0', '1.0.0', '1.1.0'], {
        app: 'registry.auditoria360.com/auditoria360',
      });
      expectOk(
        run('felipe.devops', 'deployment', 'record', '--release', '0.9.0', '--env', 'production'),
      );
      // 1.0.0 goes first (nothing live yet: no canary to split), then 1.1.0 beside it.
      const release = async (version: string) => {
        expectOk(
          run(
            'ci',
            'check',
            'report',
            '--release',
            version,
            '--check',
            'tests',
            '--status',
            'pass',
            '--evidence',
            junitReport(seed.dir, 'tests', 25),
          ),
        );
        expectOk(
          run(
            'ci',
            'check',
            'report',
            '--release',
            version,
            '--check',
            'build',
            '--status',
            'pass',
          ),
        );
        expectOk(
          run(
            'camila.devops',
            'checklist',
            'confirm',
            '--release',
            version,
            '--env',
            'production',
            '--checklist',
            'pre-deploy',
            '--all',
          ),
        );
        for (const [who, role] of [
          ['rodrigo.techlead', 'tech-lead'],
          ['patricia.qa', 'qa'],
        ] as const)
          expectOk(
            run(who, 'approve', '--release', version, '--env', 'production', '--role', role),
          );
        // Outside Thursday 02:00–04:00 the window gate refuses; an owner-approved waiver is the way.
        waiveWindow(seed, version, 'production', {
          requester: 'felipe.devops',
          approver: 'rodrigo.techlead',
        });
        expectOk(run('felipe.devops', 'gates', '--release', version, '--env', 'production'));
        const deployed = await deployConfirming(seed, 'felipe.devops', version, 'production', {
          'post-deploy': 'juliana.techlead',
        });
        expectOk(deployed.result);
        return deployed.deployment;
      };
      await release('1.0.0');
      const production = { deployment: await release('1.1.0') };
      const steps = production.deployment?.steps ?? [];
      expect(
        steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(steps),
      ).toBe(true);
      expect(
        steps.filter((s) => s.kind !== 'gate' && s.kind !== 'notify').map((s) => s.id),
      ).toEqual([
        'window',
        'checklist-pre-deploy',
        'approval',
        'backup-db',
        'deploy-app',
        'migrate-db',
        'cache-warmup',
        'verify-green',
        'rollout-1-traffic-10',
        'rollout-1-analysis',
        'rollout-2-traffic-50',
        'rollout-2-analysis',
        'rollout-3-traffic-100',
        'verify-post-switch',
        'monitoring-60m',
        'checklist-post-deploy',
      ]);

      const live = await get(`${seed.routers['production']}/version`);
      expect(JSON.parse(live.body)).toEqual({ version: '1.1.0' });
      const id = production.deployment?.id ?? '';
      for (const format of ['md', 'html']) {
        const evidence = run('ci', 'evidence', id, '--format', format);
        expectOk(evidence);
        expect(evidence.stdout).toContain('waived by rodrigo.techlead');
        expect(evidence.stdout).toContain('rollback-criteria');
      }
      expect(slack.received.map((m) => String(m['text']))).toContain(
        'auditoria360 1.0.0 in production: succeeded',
      );
      expectOk(run('ci', 'audit', 'verify'));
    }, 180_000);
  },
);
