import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan/plan.js';
import type { CompiledPolicy } from '../../src/core/policy/compiled-policy.js';
import { parseDuration } from '../../src/core/policy/duration.js';
import { indexOf, loadExample as loadExampleNamed, planExample } from './example-plan.js';

const loadExample = (): Promise<CompiledPolicy> => loadExampleNamed('koraos');
const plan = (environment: string): Promise<Plan> => planExample('koraos', environment);

const minutes = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : (parseDuration(text) ?? NaN) / 60_000;

describe('examples/koraos: DevOps Release Operations Plan v1 of KoraOS', () => {
  it('is a valid policy with no warnings', async () => {
    const policy = await loadExample();
    expect(policy.project.name).toBe('koraos');
    expect(policy.environments.map((e) => [e.name, e.tier, e.promotionFrom])).toEqual([
      ['staging', 'staging', undefined],
      ['production', 'production', 'staging'],
    ]);
  });

  it('promotes to production only a release validated in staging, after a formal go/no-go by po + pm + devops + qa', async () => {
    const { steps } = await plan('production');
    const firstChange = indexOf(steps, (step) => step.phase !== 'preflight');
    const preflight = steps.slice(0, firstChange);
    expect(preflight.every((step) => step.phase === 'preflight')).toBe(true);

    expect(preflight[0]).toMatchObject({
      id: 'gate-promotion',
      details: { from: 'staging' },
    });
    const approvals = preflight.filter((step) => step.kind === 'approval');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.details['roles']).toEqual(['po', 'pm', 'devops', 'qa']);
    expect(preflight.find((step) => step.kind === 'checklist')?.details).toMatchObject({
      checklist: 'go-no-go',
      confirmedBy: 'devops',
    });
  });

  it('requires the CI checks, the RC gates and a rollback plan before production', async () => {
    const { steps } = await plan('production');
    const ids = steps.filter((step) => step.phase === 'preflight').map((step) => step.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        // required-check
        'gate-check-lint',
        'gate-check-unit-integration',
        'gate-check-smoke-runtime',
        'gate-check-security',
        // gates adicionais para promover RC/GA
        'gate-check-rtm-p0',
        'gate-check-runbook-evidence',
        'gate-check-load-soak',
        'gate-check-fault-injection',
        'gate-check-rc-scorecard',
        'gate-rollback-plan',
        'gate-migration-lint',
        // a compromised credential is an open blocker: promotion stops until it is rotated
        'gate-blockers',
      ]),
    );
  });

  it('in staging: required-check, a migration check, a recent restore drill and the devops approval', async () => {
    const { steps, rollback } = await plan('staging');
    const ids = steps.filter((step) => step.phase === 'preflight').map((step) => step.id);
    expect(ids).not.toContain('gate-promotion');
    expect(ids).toEqual(
      expect.arrayContaining([
        'gate-check-lint',
        'gate-check-unit-integration',
        'gate-check-smoke-runtime',
        'gate-check-security',
        'gate-migration-lint',
        'gate-restore-drill',
      ]),
    );
    expect(steps.find((step) => step.kind === 'approval')?.details['roles']).toEqual(['devops']);

    // redeploy da imagem/tag anterior + rollback de migração quando aplicável
    const kinds = rollback.steps.map((step) => step.kind);
    expect(kinds.indexOf('deploy')).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('migrate')).toBeGreaterThan(kinds.indexOf('deploy'));
    expect(rollback.steps.find((step) => step.kind === 'migrate')?.details['direction']).toBe(
      'down',
    );
  });

  it('deploys green beside blue, verifies it, switches traffic, then monitors', async () => {
    const production = await plan('production');
    const { steps } = production;
    expect(production.strategy).toBe('blue-green');
    const backup = indexOf(steps, (step) => step.kind === 'backup' && step.phase === 'deploy');
    const migrate = indexOf(steps, (step) => step.kind === 'migrate');
    const deploy = indexOf(steps, (step) => step.kind === 'deploy');
    const verifyGreen = indexOf(steps, (step) => step.id === 'verify-green');
    const switchTraffic = indexOf(
      steps,
      (step) => step.kind === 'traffic' && step.details['weight'] === 100,
    );
    const verifyLive = indexOf(steps, (step) => step.id === 'verify-live');
    const monitoring = indexOf(steps, (step) => step.kind === 'analysis');

    expect(backup).toBeLessThan(migrate);
    expect(migrate).toBeLessThan(deploy);
    expect(deploy).toBeLessThan(verifyGreen);
    expect(verifyGreen).toBeLessThan(switchTraffic);
    expect(switchTraffic).toBeLessThan(verifyLive);
    expect(verifyLive).toBeLessThan(monitoring);
    expect(steps[deploy]?.details['components']).toEqual(['runtime', 'worker']);
    expect(steps[verifyGreen]?.details).toMatchObject({ against: 'new' });
    expect(steps[verifyLive]?.details['checks']).toEqual(['health', 'smoke-runtime']);
    expect(steps[monitoring]?.details).toMatchObject({
      analysis: 'operational-health',
      durationMs: 30 * 60_000,
    });
  });

  it('judges the release by the critical thresholds of the plan', async () => {
    const policy = await loadExample();
    const analysis = policy.analyses?.['operational-health'];
    expect(analysis?.source).toBe('prometheus');
    expect(
      Object.fromEntries(
        (analysis?.conditions ?? []).map((c) => [c.metric, [c.failWhen, c.for ?? null]]),
      ),
    ).toEqual({
      structured_log_coverage: ['< 98%', '15m'],
      ack_to_enqueue_gap_p95: ['> 5m', null],
      ack_to_enqueue_gap_events: ['> 20', null],
      replay_backlog: ['> 80', null],
    });
  });

  it('rolls production back by blue/green to the previous version, flag off and redeploy', async () => {
    const { rollback } = await plan('production');
    expect(rollback.automatic).toBe(true);
    expect(rollback.steps.length).toBeGreaterThan(0);
    const steps = rollback.steps;
    const traffic = indexOf(
      steps,
      (step) => step.kind === 'traffic' && step.details['weight'] === 0,
    );
    const flagOff = indexOf(steps, (step) => step.kind === 'flag');
    const redeploy = indexOf(
      steps,
      (step) => step.kind === 'deploy' && step.details['previous'] === true,
    );
    const verify = indexOf(steps, (step) => step.kind === 'verify');
    const incident = indexOf(steps, (step) => step.details['incident'] === 'p1');
    expect(traffic).toBe(0);
    expect(steps[flagOff]?.details).toEqual({ flags: ['novos-fluxos'], set: 'off' });
    expect(flagOff).toBeLessThan(redeploy);
    expect(redeploy).toBeLessThan(verify);
    expect(verify).toBeLessThan(incident);
    // Schema changes go expand/contract: production never migrates down on its own.
    expect(steps.some((step) => step.kind === 'migrate')).toBe(false);
  });

  it('defines the P0/P1/P2 response and recovery SLAs and the escalation chain', async () => {
    const { incidents, flags } = await loadExample();
    const sla = Object.fromEntries(
      Object.entries(incidents?.severities ?? {}).map(([name, s]) => [
        name,
        [minutes(s.ack), minutes(s.contain), minutes(s.recover), s.businessHours ?? false],
      ]),
    );
    expect(sla).toEqual({
      p0: [5, 15, 60, false],
      p1: [15, 60, 4 * 60, false],
      p2: [4 * 60, undefined, 24 * 60, true],
    });
    expect(incidents?.escalation).toEqual(['superadmin', 'devops', 'gestao']);
    expect(incidents?.onRollback).toBe('p1');
    expect(flags?.['novos-fluxos']).toMatchObject({ default: false, killSwitch: true });
  });
});
