import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/core/audit/verify-audit.js';
import { controlDeployment, createRollback } from '../../src/core/services/deployment-service.js';
import { acknowledgeIncident, resolveIncident } from '../../src/core/services/incident-service.js';
import { BLUE_GREEN_POLICY, engineFixture, type EngineFixture } from './engine-fixture.js';

let fx: EngineFixture;
afterEach(async () => fx.close());

/** The blue/green policy with severities, a rollback severity and a channel told of incidents. */
const WITH_INCIDENTS = `${BLUE_GREEN_POLICY.replace(
  '    rollback: { automatic: true }',
  `    rollback: { automatic: true }
    notifications: { channels: [oncall], on: [incident, rolled-back] }`,
).replace(
  'environments:',
  `channels:
  oncall: { type: webhook, url: "http://127.0.0.1:9/hook" }
incidents:
  severities:
    sev1: { ack: 5m }
    sev2: { ack: 15m, recover: 4h }
  onRollback: sev2
environments:`,
)}`;

async function incidents() {
  return fx.store.read((r) => r.listIncidents());
}

async function auditKinds(): Promise<string[]> {
  return (await fx.store.read((r) => r.auditEvents(1, 10_000))).map((e) => e.kind);
}

async function auditIntact(): Promise<boolean> {
  await fx.seal();
  const verdict = await fx.store.read((r) =>
    verifyAudit(r, { trustedKeys: [fx.signer.publicKeyPem] }),
  );
  return verdict.ok;
}

describe('incidents opened by rollbacks', () => {
  it('an automatic rollback opens one p1 incident in production, audited in the same change', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    expect(await incidents()).toEqual([]);
    await fx.release('1.2.0');
    fx.world.failVerify.add('1.2.0');
    const id = await fx.deploy('1.2.0');
    const result = await fx.runner().drive(id);
    expect(result).toMatchObject({ state: { status: 'rolled_back' } });

    const [incident, ...more] = await incidents();
    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      environment: 'production',
      deploymentId: id,
      release: '1.2.0',
      severity: 'p1',
      trigger: 'verification-failed',
      status: 'open',
      openedBy: 'eclusa-engine:engine-1',
    });
    expect(incident?.id).toMatch(/^inc_/);
    expect(incident?.step).toBeDefined();
    expect(incident?.reason).toContain('503 from 1.2.0');
    expect(incident?.ackDue).toBeUndefined();
    const kinds = await auditKinds();
    // Opened with the change that started the rollback: right after its event.
    expect(kinds[kinds.indexOf('deployment.rollback.started') + 1]).toBe('incident.opened');
    expect(kinds.filter((k) => k === 'incident.opened')).toHaveLength(1);
    expect(fx.events).toContainEqual({ kind: 'incident-opened', incident });
    expect(await auditIntact()).toBe(true);
  });

  it('takes the policy’s rollback severity, sets the acknowledgement deadline and tells the channel first', async () => {
    fx = await engineFixture(WITH_INCIDENTS);
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.2.0');
    fx.world.failVerify.add('1.2.0');
    const id = await fx.deploy('1.2.0');
    await fx.runner().drive(id);
    const [incident] = await incidents();
    expect(incident).toMatchObject({ severity: 'sev2', deploymentId: id });
    expect(Date.parse(incident!.ackDue!) - Date.parse(incident!.openedAt)).toBe(15 * 60_000);

    const run = await fx.store.read((r) => r.getDeploymentRun(id));
    const state = JSON.parse(run!.state) as {
      rollbackSteps: { id: string; status: string; output?: Record<string, unknown> }[];
    };
    expect(state.rollbackSteps[0]).toMatchObject({
      id: 'rollback-notify-incident',
      status: 'succeeded',
      output: { incident: incident!.id, severity: 'sev2' },
    });
    const told = fx.world.notifications.filter((n) => n.message.includes(incident!.id));
    expect(told).toHaveLength(1);
    expect(told[0]?.channel).toBe('oncall');
    expect(told[0]?.message).toContain(`incident ${incident!.id} (sev2) opened: shop 1.2.0`);
    expect(told[0]?.message).toContain(incident!.reason);
    // The incident action of the default rollback path names it too.
    const action = state.rollbackSteps.find(
      (s) => s.id.endsWith('-incident') && s !== state.rollbackSteps[0],
    );
    expect(action?.output).toMatchObject({ incident: incident!.id });
  });

  it('a rollback asked for during the deployment opens a manual incident; an abort opens none', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    const rolled = await fx.deploy('1.1.0');
    await controlDeployment(fx.context('ana'), rolled, {
      kind: 'rollback',
      reason: 'checkout errors in support tickets',
    });
    expect(await fx.runner().drive(rolled)).toMatchObject({ state: { status: 'rolled_back' } });
    expect(await incidents()).toMatchObject([
      {
        deploymentId: rolled,
        trigger: 'manual',
        reason: 'checkout errors in support tickets',
        severity: 'p1',
      },
    ]);
    expect((await incidents())[0]?.step).toBeUndefined();

    await fx.release('1.1.1');
    const aborted = await fx.deploy('1.1.1');
    await controlDeployment(fx.context('ana'), aborted, { kind: 'abort', reason: 'wrong day' });
    expect(await fx.runner().drive(aborted)).toMatchObject({ state: { status: 'aborted' } });
    expect((await incidents()).map((i) => i.deploymentId)).toEqual([rolled]);
  });

  it('a rollback of a finished deployment opens its incident with the person as opener', async () => {
    fx = await engineFixture();
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.1.0');
    await fx.runner().drive(await fx.deploy('1.1.0'));
    const { id } = await createRollback(fx.context('ana'), {
      environment: 'production',
      reason: 'latency doubled',
    });
    expect(await incidents()).toMatchObject([
      {
        deploymentId: id,
        release: '1.1.0',
        trigger: 'manual',
        openedBy: 'ana',
        reason: 'latency doubled',
      },
    ]);
    await fx.runner().drive(id);
    expect(await incidents()).toHaveLength(1);
    expect(await auditIntact()).toBe(true);
  });

  it('an incident is acknowledged once and resolved once, each audited; a late ack says so', async () => {
    fx = await engineFixture(WITH_INCIDENTS);
    await fx.release('1.0.0');
    await fx.runner().drive(await fx.deploy('1.0.0'));
    await fx.release('1.2.0');
    fx.world.failVerify.add('1.2.0');
    await fx.runner().drive(await fx.deploy('1.2.0'));
    const [opened] = await incidents();
    fx.clock.advance(20 * 60_000);
    const acked = await acknowledgeIncident(fx.context('eva'), opened!.id);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'eva' });
    await expect(acknowledgeIncident(fx.context('finn'), opened!.id)).rejects.toMatchObject({
      code: 'INCIDENT_ALREADY_ACKNOWLEDGED',
    });
    const resolved = await resolveIncident(fx.context('eva'), opened!.id, 'fixed in 1.2.1');
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'fixed in 1.2.1' });
    await expect(resolveIncident(fx.context('eva'), 'inc_nope', undefined)).rejects.toMatchObject({
      code: 'UNKNOWN_INCIDENT',
      exitCode: 2,
    });
    const events = await fx.store.read((r) => r.auditEvents(1, 10_000));
    const ack = events.find((e) => e.kind === 'incident.acknowledged');
    expect(JSON.parse(ack!.body)).toMatchObject({ data: { late: true, severity: 'sev2' } });
    expect(events.map((e) => e.kind)).toContain('incident.resolved');
    expect(await fx.store.read((r) => r.listIncidents({ unresolvedOnly: true }))).toEqual([]);
    expect(await auditIntact()).toBe(true);
  });
});
