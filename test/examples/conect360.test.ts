import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../src/core/plan/plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import {
  indexOf,
  indexesOf,
  loadExample as loadExampleNamed,
  planExample,
} from './example-plan.js';

const loadExample = (): Promise<CompiledPolicy> => loadExampleNamed('conect360');
const plan = (environment: string): Promise<Plan> => planExample('conect360', environment);

const deploys = (component: string) => (step: PlanStep) =>
  step.kind === 'deploy' &&
  step.phase === 'deploy' &&
  (step.details['components'] as readonly string[] | undefined)?.includes(component) === true;

describe('examples/conect360: Release Policy v1 of Conect360', () => {
  it('is a valid policy with no warnings', async () => {
    const policy = await loadExample();
    expect(policy.project.name).toBe('conect360');
    expect(policy.environments.map((e) => [e.name, e.tier, e.promotionFrom])).toEqual([
      ['staging', 'staging', undefined],
      ['production', 'production', 'staging'],
    ]);
  });

  it('deploys backend and frontend only through the official script', async () => {
    const policy = await loadExample();
    for (const name of ['backend', 'frontend']) {
      const component = policy.components[name];
      expect(component?.kind).not.toBe('database');
      if (component === undefined || component.kind === 'database') continue;
      expect(component.artifact?.image).toBeTruthy();
      expect(component.artifact?.allowMutableTag).toBeUndefined();
      expect(component.target?.type).toBe('command');
      if (component.target?.type !== 'command') continue;
      expect(component.target.deploy).toContain('.production/scripts/release-azure-vm.ps1');
    }
    expect(policy.components['db']).toMatchObject({
      kind: 'database',
      connection: 'env:DATABASE_URL',
    });
  });

  it('checks every gate of the policy before anything changes in production', async () => {
    const { steps } = await plan('production');
    const firstChange = indexOf(steps, (step) => step.phase !== 'preflight');
    const preflight = steps.slice(0, firstChange);
    expect(preflight.every((step) => step.phase === 'preflight')).toBe(true);
    const ids = preflight.map((step) => step.id);

    // Fluxo oficial: production only after staging.
    expect(preflight.find((step) => step.id === 'gate-promotion')?.details['from']).toBe('staging');
    // Build backend e frontend; testes/smokes críticos.
    expect(ids).toEqual(
      expect.arrayContaining([
        'gate-check-build-backend',
        'gate-check-build-frontend',
        'gate-check-critical-smokes',
      ]),
    );
    // Migrations versionadas e revisadas (lint) and no manual drift in the live schema.
    expect(ids).toEqual(expect.arrayContaining(['gate-migration-lint', 'gate-drift']));
    // Plano de rollback; backup do banco.
    expect(ids).toEqual(expect.arrayContaining(['gate-rollback-plan', 'gate-backup']));
    expect(preflight.find((step) => step.id === 'gate-backup')?.details).toMatchObject({
      database: 'db',
    });
    // Checklist de deploy preenchido by the release owner.
    const checklist = preflight.find((step) => step.kind === 'checklist');
    expect(checklist?.details).toMatchObject({ checklist: 'deploy', confirmedBy: 'release-owner' });
    // Dono da release approves go/no-go, with the technical reviewer and the business approver.
    const approval = preflight.find((step) => step.kind === 'approval');
    expect(approval?.details['roles']).toEqual([
      'release-owner',
      'tech-reviewer',
      'business-approver',
    ]);
  });

  it('backs up the database before every migration in production', async () => {
    const { steps } = await plan('production');
    const backup = indexOf(
      steps,
      (step) =>
        step.kind === 'backup' && step.phase === 'deploy' && step.details['database'] === 'db',
    );
    const migrations = indexesOf(steps, (step) => step.kind === 'migrate');
    expect(migrations.length).toBeGreaterThan(0);
    for (const migrate of migrations) expect(backup).toBeLessThan(migrate);
    expect(steps[backup]?.details['verify']).toBe(true);
    // Migrations run before the new code that needs them.
    expect(Math.max(...migrations)).toBeLessThan(indexOf(steps, deploys('backend')));
  });

  it('purges exactly /index.html, /brand/* and /static/* on Cloudflare after the frontend deploy', async () => {
    const { steps } = await plan('production');
    const frontend = indexOf(steps, deploys('frontend'));
    const purges = indexesOf(steps, (step) => step.kind === 'cache');
    expect(purges).toHaveLength(1);
    const purge = purges[0] ?? -1;
    expect(purge).toBeGreaterThan(frontend);
    expect(steps[purge]?.details).toEqual({
      action: 'purge',
      provider: 'cloudflare',
      paths: ['/index.html', '/brand/*', '/static/*'],
      zone: 'conect360.com',
      token: 'env:CLOUDFLARE_API_TOKEN',
      run: undefined,
    });
  });

  it('verifies /health, a real login, the critical endpoints and the new bundle after the purge', async () => {
    const policy = await loadExample();
    const { steps } = await plan('production');
    const purge = indexOf(steps, (step) => step.kind === 'cache');
    const verify = indexOf(steps, (step) => step.kind === 'verify');
    expect(verify).toBeGreaterThan(purge);
    expect(steps[verify]?.details['checks']).toEqual(
      expect.arrayContaining([
        'health',
        'minhas-empresas',
        'notifications',
        'dashboard-resumo',
        'frontend-bundle',
      ]),
    );

    const checks = policy.environments[1]?.verify ?? {};
    const paths: Record<string, string> = {};
    for (const [name, check] of Object.entries(checks)) {
      if (check.type !== 'http') continue;
      const url = new URL(check.url);
      paths[name] = `${url.pathname}${url.search}`;
      if (name !== 'health') {
        // Login com usuário real: credentials only as references.
        expect(check.login?.body).toEqual({
          email: '${env:CONECT360_SMOKE_EMAIL}',
          password: '${env:CONECT360_SMOKE_PASSWORD}',
        });
      }
    }
    expect(paths).toEqual({
      health: '/health',
      'minhas-empresas': '/minhas-empresas',
      notifications: '/notifications',
      'dashboard-resumo': '/dashboard/resumo?periodo=mensal',
    });
    const health = checks['health'];
    expect(health?.type === 'http' ? (health.method ?? 'GET') : undefined).toBe('GET');
    expect(checks['frontend-bundle']).toMatchObject({ type: 'bundle', component: 'frontend' });

    // Branding/logo and the hard refresh are confirmed by a person after the purge.
    const postDeploy = indexOf(
      steps,
      (step) => step.kind === 'checklist' && step.phase === 'deploy',
    );
    expect(postDeploy).toBeGreaterThan(purge);
    expect(steps[postDeploy]?.details['confirmedBy']).toBe('release-owner');
  });

  it('monitors 5xx and latency for 30 minutes after the deploy, and rolls back on a regression', async () => {
    const policy = await loadExample();
    const production = await plan('production');
    const { steps } = production;
    const monitoring = indexOf(steps, (step) => step.kind === 'analysis');
    expect(steps[monitoring]?.details).toMatchObject({
      analysis: 'post-deploy-monitoring',
      durationMs: 30 * 60_000,
    });
    for (const component of ['backend', 'frontend'])
      expect(monitoring).toBeGreaterThan(indexOf(steps, deploys(component)));
    expect(monitoring).toBeGreaterThan(indexOf(steps, (step) => step.kind === 'verify'));

    const conditions = policy.analyses?.['post-deploy-monitoring']?.conditions ?? [];
    expect(conditions.map((c) => c.metric)).toEqual(['error_rate', 'latency_p95']);
    for (const condition of conditions) expect(condition.for).toBeDefined();

    expect(production.rollback.automatic).toBe(true);
    expect(production.rollback.triggers).toEqual(
      expect.arrayContaining(['verification-failed', 'monitoring-failed']),
    );
  });

  it('rolls back the containers first, and restores the database only with approval', async () => {
    const { rollback } = await plan('production');
    expect(rollback.steps.length).toBeGreaterThan(0);
    const kinds = rollback.steps.map((step) => step.kind);
    expect(rollback.steps[0]).toMatchObject({ kind: 'deploy', details: { previous: true } });
    const approval = kinds.indexOf('approval');
    const restore = rollback.steps.findIndex(
      (step) => step.kind === 'backup' && step.details['action'] === 'restore',
    );
    expect(approval).toBeGreaterThan(0);
    expect(rollback.steps[approval]?.details['roles']).toEqual(['tech-reviewer']);
    expect(restore).toBe(approval + 1);
    expect(rollback.steps.find((step) => step.kind === 'flag')?.details['flags']).toEqual([
      'faturamento-v2',
    ]);
    expect(kinds.indexOf('verify')).toBeGreaterThan(restore);
  });

  it('records the evidence the policy asks for, and keeps the kill switch ready', async () => {
    const policy = await loadExample();
    expect(policy.environments[1]?.evidence).toEqual([
      'release',
      'gates',
      'backup',
      'migrations',
      'components',
      'verification',
      'cache',
    ]);
    expect(policy.flags?.['faturamento-v2']).toMatchObject({
      default: false,
      killSwitch: true,
      rollout: { tenants: ['empresa-piloto'] },
    });
    expect(policy.channels?.['slack']).toMatchObject({
      type: 'slack',
      webhook: 'env:SLACK_WEBHOOK_URL',
    });
  });

  it('in staging: technical approval before the deploy, functional validation by the business after it', async () => {
    const { steps, rollback } = await plan('staging');
    expect(steps.some((step) => step.id === 'gate-promotion')).toBe(false);
    const approval = steps.find((step) => step.kind === 'approval');
    expect(approval?.details['roles']).toEqual(['tech-reviewer']);
    const verify = indexOf(steps, (step) => step.kind === 'verify');
    const validation = indexOf(
      steps,
      (step) => step.kind === 'checklist' && step.details['checklist'] === 'functional-validation',
    );
    expect(validation).toBeGreaterThan(verify);
    expect(steps[validation]?.details['confirmedBy']).toBe('business-approver');
    expect(rollback.steps.length).toBeGreaterThan(0);
  });
});
