import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import {
  createReleases,
  deployConfirming,
  expectOk,
  junitReport,
  type ShownDeployment,
} from './local-seed.js';
import { describeLocalSeed, POSTGRES } from './describe-local-seed.js';

describeLocalSeed(
  'core-hub',
  POSTGRES,
  (postgres, slack) => ({
    DATABASE_URL: postgres.url,
    SLACK_WEBHOOK_URL: slack.url,
    SMTP_URL: 'smtp://127.0.0.1:1',
    SMOKE_USER: 'smoke@corehub.example.com',
    SMOKE_PASSWORD: 'smoke-password-0000',
  }),
  (current) => {
    it('staging automatically, then production: DRI approval, canary at 10 % judged against stable, monitoring, post-release checklist', async () => {
      const { seed, slack } = current();
      const { run } = seed;
      expectOk(run('ci', 'policy', 'check'));
      createReleases(seed, ['0.9.0', '1.0.0', '1.1.0'], {
        api: 'ghcr.io/core-hub/api',
        worker: 'ghcr.io/core-hub/worker',
        frontend: 'ghcr.io/core-hub/frontend',
      });
      expectOk(run('miguel', 'deployment', 'record', '--release', '0.9.0', '--env', 'production'));
      const eval20 = join(seed.dir, 'llm-eval.json');
      writeFileSync(eval20, JSON.stringify({ score: 0.85, cases: 20, passed: 17 }));

      // 1.0.0 first (nothing stable yet: no canary to compare), then 1.1.0 beside it.
      const release = async (version: string): Promise<ShownDeployment | undefined> => {
        const report = (check: string, ...more: string[]) =>
          expectOk(
            run(
              'ci',
              'check',
              'report',
              '--release',
              version,
              '--check',
              check,
              '--status',
              'pass',
              ...more,
            ),
          );
        report('unit', '--evidence', junitReport(seed.dir, 'unit', 120));
        report('integration', '--evidence', junitReport(seed.dir, 'integration', 30));
        report('lint');
        report('build');
        report('llm-eval', '--evidence', eval20);
        // local → staging (automatic from main) → production.
        expectOk((await deployConfirming(seed, 'ci', version, 'local')).result);
        expectOk((await deployConfirming(seed, 'ci', version, 'staging')).result);

        expectOk(
          run(
            'larissa.qa',
            'checklist',
            'confirm',
            '--release',
            version,
            '--env',
            'production',
            '--checklist',
            'pre-release',
            '--all',
          ),
        );
        expectOk(
          run('gabriel', 'approve', '--release', version, '--env', 'production', '--role', 'dri'),
        );
        const deployed = await deployConfirming(seed, 'miguel', version, 'production', {
          'post-release': 'renata.ops',
        });
        expectOk(deployed.result);
        return deployed.deployment;
      };
      await release('1.0.0');
      const production = await release('1.1.0');
      const steps = production?.steps ?? [];
      expect(
        steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(steps),
      ).toBe(true);
      expect(
        steps.filter((s) => s.kind !== 'gate' && s.kind !== 'notify').map((s) => s.id),
      ).toEqual([
        'checklist-pre-release',
        'approval',
        'backup-db',
        'migrate-db',
        'deploy-api-worker-frontend',
        'verify-canary',
        'rollout-1-traffic-10',
        'rollout-1-analysis',
        'rollout-2-traffic-100',
        'verify-production',
        'analysis-post-release',
        'checklist-post-release',
      ]);

      const live = await get(`${seed.routers['production']}/version`);
      expect(JSON.parse(live.body)).toEqual({ version: '1.1.0' });
      for (const format of ['md', 'html']) {
        const evidence = run('ci', 'evidence', production?.id ?? '', '--format', format);
        expectOk(evidence);
        expect(evidence.stdout).toContain('canary-vs-stable');
        expect(evidence.stdout).not.toContain('smoke-password-0000');
      }
      expect(slack.received.map((m) => String(m['text']))).toContain(
        'core-hub 1.1.0 in production: succeeded',
      );
      expectOk(run('ci', 'audit', 'verify'));
    }, 240_000);
  },
);
