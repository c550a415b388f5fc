import { expect, it } from 'vitest';
import { get } from '../support/http-client.js';
import { deployConfirming, junitReport } from './local-seed.js';
import { describeLocalSeed, POSTGRES } from './describe-local-seed.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describeLocalSeed(
  'conect360',
  POSTGRES,
  (postgres, slack) => ({
    DATABASE_URL: postgres.url,
    SLACK_WEBHOOK_URL: slack.url,
  }),
  (current) => {
    it('goes through staging, then production: backup, migrate, deploy, purge, verify, checklist, monitoring', async () => {
      const { seed, slack } = current();
      const { run } = seed;
      const ok = (result: { code: number; stdout: string; stderr: string }) =>
        expect(result.code, result.stdout + result.stderr).toBe(0);
      ok(run('ci', 'policy', 'check'));

      // What ran before eclusa: 0.9.0 in production, so the rollback plan has a target.
      for (const [version, c] of [
        ['0.9.0', 'a'],
        ['1.0.0', 'b'],
      ] as const) {
        ok(
          run(
            'ci',
            'release',
            'create',
            '--version',
            version,
            '--commit',
            `${c.repeat(7)}`,
            '--tag',
            `v${version}`,
            '--artifact',
            `backend=conect360.azurecr.io/conect360-backend:${version}@${digest(c)}`,
            '--artifact',
            `frontend=conect360.azurecr.io/conect360-frontend:${version}@${digest(c)}`,
          ),
        );
      }
      ok(run('ana.souza', 'deployment', 'record', '--release', '0.9.0', '--env', 'production'));

      // CI reports the builds and the critical smokes.
      for (const check of ['build-backend', 'build-frontend'])
        ok(
          run('ci', 'check', 'report', '--release', '1.0.0', '--check', check, '--status', 'pass'),
        );
      const smokes = junitReport(seed.dir, 'critical-smokes', 12);
      ok(
        run(
          'ci',
          'check',
          'report',
          '--release',
          '1.0.0',
          '--check',
          'critical-smokes',
          '--status',
          'pass',
          '--evidence',
          smokes,
        ),
      );

      // Staging: the technical reviewer approves; the business validates after the deploy.
      ok(
        run(
          'carlos.pereira',
          'approve',
          '--release',
          '1.0.0',
          '--env',
          'staging',
          '--role',
          'tech-reviewer',
        ),
      );
      const staging = await deployConfirming(seed, 'ana.souza', '1.0.0', 'staging', {
        'functional-validation': 'eduarda.martins',
      });
      ok(staging.result);

      // Production's gates: a fresh verified backup, no drift, the deploy checklist, three approvals.
      ok(
        run(
          'ana.souza',
          'backup',
          'run',
          '--env',
          'production',
          '--database',
          'db',
          '--reason',
          'janela da release 1.0.0',
        ),
      );
      ok(run('ana.souza', 'migrate', 'drift', '--env', 'production'));
      ok(
        run(
          'bruno.lima',
          'checklist',
          'confirm',
          '--release',
          '1.0.0',
          '--env',
          'production',
          '--checklist',
          'deploy',
          '--all',
        ),
      );
      const pending = run('ana.souza', 'gates', '--release', '1.0.0', '--env', 'production');
      expect(pending.code).toBe(3);
      expect(pending.stdout + pending.stderr).toMatch(/approvals/);
      for (const [who, role] of [
        ['bruno.lima', 'release-owner'],
        ['carlos.pereira', 'tech-reviewer'],
        ['felipe.alves', 'business-approver'],
      ] as const)
        ok(run(who, 'approve', '--release', '1.0.0', '--env', 'production', '--role', role));
      ok(run('ana.souza', 'gates', '--release', '1.0.0', '--env', 'production'));

      const production = await deployConfirming(seed, 'ana.souza', '1.0.0', 'production', {
        'post-deploy': 'bruno.lima',
      });
      ok(production.result);
      const steps = production.deployment?.steps ?? [];
      expect(
        steps.every((s) => s.status === 'succeeded'),
        JSON.stringify(steps),
      ).toBe(true);
      const order = steps.filter((s) => s.kind !== 'gate' && s.kind !== 'notify').map((s) => s.id);
      expect(order).toEqual([
        'checklist-deploy',
        'approval',
        'backup-db',
        'migrate-db',
        'deploy-backend',
        'deploy-frontend',
        'purge-cloudflare',
        'verify',
        'checklist-post-deploy',
        'monitoring',
      ]);

      // The new version serves through the production router.
      const live = await get(`${seed.routers['production']}/version`);
      expect(JSON.parse(live.body)).toEqual({ version: '1.0.0' });

      const id = production.deployment?.id ?? '';
      for (const format of ['md', 'html']) {
        const evidence = run('ci', 'evidence', id, '--format', format);
        ok(evidence);
        expect(evidence.stdout).toContain('/brand/*');
        expect(evidence.stdout).toContain('post-deploy');
      }
      // Slack heard the start and the success of both deploys to production.
      const texts = slack.received.map((m) => String(m['text']));
      expect(texts, JSON.stringify(texts)).toContain('conect360 1.0.0 in production: started');
      expect(texts).toContain('conect360 1.0.0 in production: succeeded');
      expect(slack.received.every((m) => m['channel'] === '#conect360-releases')).toBe(true);
      ok(run('ci', 'audit', 'verify'));
    }, 180_000);
  },
);
