import type { StepExecutor } from '../step-executor.js';

/**
 * Waits a fixed time with a durable timer: the deadline is persisted on the first run, so a
 * restart resumes the same wait instead of starting it over.
 */
export const bakeStep: StepExecutor = (ctx) => {
  const durationMs = Number(ctx.step.details['durationMs'] ?? 0);
  const stored = ctx.state.output?.['since'];
  const since = typeof stored === 'string' ? stored : ctx.clock.now().toISOString();
  const until = new Date(Date.parse(since) + durationMs);
  if (ctx.clock.now() >= until) return Promise.resolve({ kind: 'succeeded', output: { since } });
  return Promise.resolve({
    kind: 'wait',
    until: until.toISOString(),
    reason: `baking until ${until.toISOString()}`,
    output: { since },
  });
};
