import { textDetail } from '../step-details.js';
import type { VerificationResult } from '../../verify/verification.js';
import { deployedComponents } from '../deployed-components.js';
import { routedComponent } from '../routing.js';
import type { StepContext, StepExecutor, StepOutcome } from '../step-executor.js';

/** The base URL `{url}` becomes: the new version alone, or what clients reach. */
async function baseUrl(ctx: StepContext, against: string): Promise<string | undefined> {
  if (against === 'new') {
    const deployed = deployedComponents(ctx.run);
    const component = routedComponent(ctx) ?? Object.keys(deployed)[0];
    const endpoint = component === undefined ? undefined : deployed[component]?.endpoint;
    return endpoint ? `http://${endpoint.host}:${endpoint.port}` : undefined;
  }
  const router = ctx.ports.router();
  if (router) return (await router.state()).url;
  const component = routedComponent(ctx);
  const url = component === undefined ? undefined : ctx.policy.components[component];
  return url && 'url' in url && typeof url.url === 'string' ? url.url : undefined;
}

/**
 * Runs the named verifications (HTTP, bundle, command) against the new version or against
 * production. Reading is all it does, so running it again is always safe. In the rollback
 * path it checks that the restored version answers.
 */
export const verifyStep: StepExecutor = async (ctx): Promise<StepOutcome> => {
  const all = ctx.environment.verify ?? {};
  const names = (ctx.step.details['checks'] as string[] | undefined) ?? Object.keys(all);
  const against =
    ctx.step.phase === 'rollback'
      ? 'production'
      : (textDetail(ctx.step, 'against') ?? 'production');
  if (names.length === 0) return { kind: 'skipped', reason: 'no verification is named' };
  if (
    ctx.step.phase === 'rollback' &&
    !Object.values(deployedComponents(ctx.run)).some((d) => d.from !== undefined)
  ) {
    return { kind: 'skipped', reason: 'there was no earlier version to restore and verify' };
  }
  const url = await baseUrl(ctx, against);
  const digests: Record<string, string> = {};
  for (const artifact of ctx.release.artifacts) {
    if (artifact.digest) digests[artifact.component] = artifact.digest;
  }
  const results: VerificationResult[] = [];
  for (const name of names) {
    const check = all[name];
    if (!check) return { kind: 'failed', error: `verification ${name} is not defined` };
    const result = await ctx.ports.verifier.run(
      name,
      check,
      {
        ...(url === undefined ? {} : { url }),
        release: ctx.release.version,
        version: ctx.release.version,
        environment: ctx.environment.name,
        digests,
      },
      ctx.signal,
    );
    ctx.log(`${result.ok ? 'pass' : 'FAIL'} ${name}: ${result.detail}`);
    results.push(result);
  }
  const failed = results.filter((r) => !r.ok);
  const output = { against, ...(url === undefined ? {} : { url }), results };
  if (failed.length === 0) return { kind: 'succeeded', output };
  return {
    kind: 'failed',
    trigger: 'verification-failed',
    error: `verification failed: ${failed.map((r) => `${r.name} (${r.detail})`).join('; ')}`,
    output,
  };
};
