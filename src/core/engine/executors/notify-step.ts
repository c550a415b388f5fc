import { textDetail } from '../step-details.js';
import type { StepExecutor } from '../step-executor.js';

/**
 * Tells the environment's channels. A channel that cannot be reached is recorded, never a
 * reason to roll a release back.
 */
export const notifyStep: StepExecutor = async (ctx) => {
  const channels = (ctx.step.details['channels'] as string[] | undefined) ?? [];
  const message =
    typeof ctx.step.details['message'] === 'string'
      ? ctx.step.details['message']
      : `${ctx.policy.project.name} ${ctx.release.version} in ${ctx.environment.name}: ${textDetail(ctx.step, 'event') ?? ctx.step.name}`;
  const results: Record<string, unknown> = {};
  for (const channel of channels) {
    const result = await ctx.ports.notifier.send(channel, message, ctx.signal);
    results[channel] = result;
    ctx.log(`${channel}: ${result.delivered ? 'sent' : 'not sent'} (${result.detail})`);
  }
  return { kind: 'succeeded', output: { message, channels: results } };
};
