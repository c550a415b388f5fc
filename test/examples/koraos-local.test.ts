import { expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import { createReleases, deployConfirming, expectOk, junitReport } from './local-seed.js';
import { describeLocalSeed, POSTGRES } from './describe-local-seed.js';

describeLocalSeed(
  'koraos',
  POSTGRES,
  (postgres, slack) => ({
    KORAOS_DATABASE_URL: postgres.url,
    SLACK_WEBHOOK_URL: slack.url,
    KORAOS_STAGING_SMOKE_TOKEN: 'staging-smoke-token-0000',
    KORAOS_SMOKE_TOKEN: 'production-smoke-token-0000',
  }),
  (current) => {
    it('staging with a restore drill, then the go/no-go quorum, blue/green, verification and monitoring in production', async () => {
      const { seed, slack } = current();
      const { run } = seed;
      expectOk(run('ci', 'policy', 'check'));
      createReleases(seed, ['0.9.0', '1.0.0'], {
        runtime: 'ghcr.io/koraos/runtime',
        worker: 'ghcr.io/koraos/worker',
      });
      expectOk(
        run('rafael.costa', 'deployment', 'record', '--release', '0.9.0', '--env', 'production'),
      );

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
      report('lint');
      report('unit-integration', '--evidence', junitReport(seed.dir, 'unit-integration', 40));
      report('smoke-runtime', '--evidence', junitReport(seed.dir, 'smoke-runtime', 3));
      report('security');

      // Staging: a restore drill no older than 7 days, and DevOps approves the promotion.
      expectOk(run('rafael.costa', 'backup', 'run', '--env', 'staging', '--database', 'db'));
      expectOk(run('rafael.costa', 'backup', 'drill', '--env', 'staging', '--database', 'db'));
      expectOk(
        run('tiago.nunes', 'approve', '--release', '1.0.0', '--env', 'staging', '--role', 'devops'),
      );
      expectOk((await deployConfirming(seed, 'camila.freitas', '1.0.0', 'staging')).result);

      // Production: the checks staging cannot give (RTM, runbook, load/soak, fault injection, scorecard).
      for (const check of [
        'rtm-p0',
        'runbook-evidence',
        'load-soak',
        'fault-injection',
        'rc-scorecard',
      ])
        report(check);
      expectOk(
        run(
          'rafael.costa',
          'checklist',
          'confirm',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--checklist',
          'go-no-go',
          '--all',
        ),
      );
      for (const [who, role] of [
        ['juliana.ribeiro', 'po'],
        ['patricia.gomes', 'pm'],
        ['tiago.nunes', 'devops'],
        ['larissa.mendes', 'qa'],
      ] as const)
        expectOk(run(who, 'approve', '--release', '1.0.0', '--env', 'production', '--role', role));
      expectOk(run('camila.freitas', 'gates', '--release', '1.0.0', '--env', 'production'));

      const production = await deployConfirming(seed, 'camila.freitas', '1.0.0', 'production');
      expectOk(production.result);
      const steps = production.deployment?.steps ?? [];
      expect(
        steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(steps),
      ).toBe(true);
      expect(
        steps
          .filter((s) => s.phase === 'deploy' && s.kind !== 'gate' && s.kind !== 'notify')
          .map((s) => s.id),
      ).toEqual([
        'checklist-go-no-go',
        'approval',
        'backup-db',
        'migrate-db',
        'deploy-runtime-worker',
        'verify-green',
        'rollout-switch',
        'verify-live',
        'monitoring',
      ]);

      const live = await get(`${seed.routers['production']}/version`);
      expect(JSON.parse(live.body)).toEqual({ version: '1.0.0' });
      const id = production.deployment?.id ?? '';
      for (const format of ['md', 'html']) {
        const evidence = run('ci', 'evidence', id, '--format', format);
        expectOk(evidence);
        expect(evidence.stdout).toContain('operational-health');
        expect(evidence.stdout).not.toContain('production-smoke-token-0000');
      }
      expect(slack.received.map((m) => String(m['text']))).toContain(
        'koraos 1.0.0 in production: succeeded',
      );
      expectOk(run('ci', 'audit', 'verify'));
    }, 180_000);
  },
);
