import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartRequest, Target, TargetInstance } from '../../core/target/target.js';
import { groupMembers, isProcessAlive } from '../os/process-table.js';
import { isPortFree } from '../os/tcp-port.js';
import { eventually, getJson, processesWithEnv } from './target-contract-support.js';
import { failureOf } from '../../../test/support/failure-of.js';

/**
 * How the adapter under test runs the sample app (examples/sample-app): healthy, with
 * FAULT_HEALTH=fail, with FAULT_CRASH_AT_START=1, or with a command that never finishes
 * (and writes the pid of a child it spawned to `hangPidFile`).
 */
export type TargetScenario = 'healthy' | 'failing-health' | 'crash-at-start' | 'hanging';

export interface TargetContractSetup {
  /** A target of the adapter for the scenario; every target shares one state (one ECLUSA_HOME). */
  make(scenario: TargetScenario): Target;
  readonly hangPidFile: string;
}

const COMPONENT = 'api';

/**
 * The contract every Target adapter passes, against real processes. Each test runs in an
 * environment of its own and gives its versions unique names, so that "nothing is left
 * running" can be checked on the whole machine by APP_VERSION.
 */
export function describeTargetContract(name: string, setup: () => TargetContractSetup): void {
  describe(`Target contract: ${name}`, () => {
    let tests = 0;
    const started: { environment: string; slot: string }[] = [];
    let ctx: TargetContractSetup;

    const fresh = (): { environment: string; tag: string } => {
      tests += 1;
      ctx ??= setup();
      return { environment: `contract-${tests}`, tag: `t${tests}-${process.pid}` };
    };
    const request = (environment: string, slot: string, version: string): StartRequest => {
      started.push({ environment, slot });
      return { component: COMPONENT, environment, slot, release: version, version };
    };
    const running = (instances: TargetInstance[]): string[] =>
      instances
        .filter((instance) => instance.state === 'running')
        .map((instance) => `${instance.slot}=${instance.version}`)
        .sort();
    const endpointOf = (instance: TargetInstance) => {
      expect(instance.endpoint).toBeDefined();
      return instance.endpoint ?? { host: '', port: 0 };
    };

    afterEach(async () => {
      const target = ctx.make('healthy');
      for (const { environment, slot } of started.splice(0)) {
        await target.stop({ component: COMPONENT, environment, slot });
      }
    });

    it('starts a version that answers on its endpoint and shows in status', async () => {
      const { environment, tag } = fresh();
      const target = ctx.make('healthy');
      const lines: string[] = [];
      const instance = await target.start({
        ...request(environment, 'blue', `1.0.0-${tag}`),
        log: (line) => lines.push(line),
      });
      expect(instance).toMatchObject({ slot: 'blue', version: `1.0.0-${tag}`, state: 'running' });
      expect(lines.length).toBeGreaterThan(0);
      const answer = await getJson(endpointOf(instance), '/version');
      expect(answer).toEqual({ status: 200, body: { version: `1.0.0-${tag}` } });
      expect(running(await target.status(COMPONENT, environment))).toEqual([`blue=1.0.0-${tag}`]);
    });

    it('returns the running instance when asked again for the same version, without a restart', async () => {
      const { environment, tag } = fresh();
      const target = ctx.make('healthy');
      const first = await target.start(request(environment, 'blue', `1.0.0-${tag}`));
      const again = await target.start(request(environment, 'blue', `1.0.0-${tag}`));
      expect(again.pid).toBe(first.pid);
      expect(again.endpoint).toEqual(first.endpoint);
      expect(again.startedAt).toBe(first.startedAt);
      expect(processesWithEnv('APP_VERSION', `1.0.0-${tag}`).length).toBeGreaterThan(0);
    });

    it('runs a second slot side by side, each on its own endpoint', async () => {
      const { environment, tag } = fresh();
      const target = ctx.make('healthy');
      const blue = await target.start(request(environment, 'blue', `1.0.0-${tag}`));
      const green = await target.start(request(environment, 'green', `2.0.0-${tag}`));
      expect(green.endpoint).not.toEqual(blue.endpoint);
      expect((await getJson(endpointOf(blue), '/version')).body['version']).toBe(`1.0.0-${tag}`);
      expect((await getJson(endpointOf(green), '/version')).body['version']).toBe(`2.0.0-${tag}`);
      expect(running(await target.status(COMPONENT, environment))).toEqual([
        `blue=1.0.0-${tag}`,
        `green=2.0.0-${tag}`,
      ]);
    });

    it('replaces another version running in the slot', async () => {
      const { environment, tag } = fresh();
      const target = ctx.make('healthy');
      const old = await target.start(request(environment, 'blue', `1.0.0-${tag}`));
      const next = await target.start(request(environment, 'blue', `1.1.0-${tag}`));
      expect((await getJson(endpointOf(next), '/version')).body['version']).toBe(`1.1.0-${tag}`);
      expect(groupMembers(old.pid ?? 0)).toEqual([]);
      expect(processesWithEnv('APP_VERSION', `1.0.0-${tag}`)).toEqual([]);
      expect(running(await target.status(COMPONENT, environment))).toEqual([`blue=1.1.0-${tag}`]);
    });

    it('stops a slot: the port is released and its whole process group is gone', async () => {
      const { environment, tag } = fresh();
      const target = ctx.make('healthy');
      const instance = await target.start(request(environment, 'blue', `1.0.0-${tag}`));
      const pgid = instance.pid ?? 0;
      const members = groupMembers(pgid);
      // The sample app runs under npx and tsx: the group holds grandchildren, not just one process.
      expect(members.length).toBeGreaterThan(1);

      await target.stop({ component: COMPONENT, environment, slot: 'blue' });
      expect(groupMembers(pgid)).toEqual([]);
      expect(members.filter((pid) => isProcessAlive(pid))).toEqual([]);
      expect(processesWithEnv('APP_VERSION', `1.0.0-${tag}`)).toEqual([]);
      expect(await isPortFree(endpointOf(instance).port, endpointOf(instance).host)).toBe(true);
      expect(running(await target.status(COMPONENT, environment))).toEqual([]);
      // Stopping a stopped slot is fine (check, then act).
      await target.stop({ component: COMPONENT, environment, slot: 'blue' });
    });

    it('fails a start whose health check fails, with the log excerpt, leaving nothing running', async () => {
      const { environment, tag } = fresh();
      const version = `1.0.0-${tag}`;
      const failure = await failureOf(
        ctx.make('failing-health').start(request(environment, 'blue', version)),
      );
      expect(failure.kind).toBe('failed');
      expect(failure.message).toContain('listening on http://127.0.0.1:');
      expect(processesWithEnv('APP_VERSION', version)).toEqual([]);
      expect(running(await ctx.make('healthy').status(COMPONENT, environment))).toEqual([]);
    });

    it('fails a start whose app crashes at start, saying why', async () => {
      const { environment, tag } = fresh();
      const version = `1.0.0-${tag}`;
      const failure = await failureOf(
        ctx.make('crash-at-start').start(request(environment, 'blue', version)),
      );
      expect(failure.kind).toBe('failed');
      expect(failure.message).toContain('FAULT_CRASH_AT_START=1');
      expect(processesWithEnv('APP_VERSION', version)).toEqual([]);
      expect(running(await ctx.make('healthy').status(COMPONENT, environment))).toEqual([]);
    });

    it('ends a command that hangs at its timeout and kills its process group', async () => {
      const { environment, tag } = fresh();
      rmSync(ctx.hangPidFile, { force: true });
      const failure = await failureOf(
        ctx.make('hanging').start(request(environment, 'blue', `1.0.0-${tag}`)),
      );
      expect([failure.kind, failure.retryable]).toEqual(['failed', true]);
      const child = Number(readFileSync(ctx.hangPidFile, 'utf8').trim());
      expect(child).toBeGreaterThan(0);
      await eventually(
        () => !isProcessAlive(child),
        `the hanging command's child ${child} is gone`,
        2_000,
      );
    });
  });
}
