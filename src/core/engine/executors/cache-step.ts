import type { StepExecutor } from '../step-executor.js';
import { runPolicyCommand } from './command-step.js';

/** Purges, clears or warms a cache. The `command` provider runs the team's own tool. */
export const cacheStep: StepExecutor = async (ctx) => {
  const provider = String(ctx.step.details['provider']);
  const paths = (ctx.step.details['paths'] as string[] | undefined) ?? [];
  if (provider !== 'command') {
    return {
      kind: 'failed',
      error: `the ${provider} cache provider is not available in this version of eclusa`,
    };
  }
  const run = ctx.step.details['run'];
  if (typeof run !== 'string') return { kind: 'failed', error: 'a command cache step needs `run`' };
  const result = await runPolicyCommand(ctx, { run: run.replaceAll('{paths}', paths.join(' ')) });
  const record = {
    action: ctx.step.details['action'],
    provider,
    paths,
    at: ctx.clock.now().toISOString(),
  };
  return result.ok
    ? { kind: 'succeeded', output: { ...record, detail: result.detail, output: result.output } }
    : {
        kind: 'failed',
        error: `cache ${String(record.action)} failed: ${result.detail}`,
        output: { output: result.output },
      };
};
