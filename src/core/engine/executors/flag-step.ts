import type { StepExecutor } from '../step-executor.js';

/** Sets a feature flag's value for the environment (recorded in its state and the audit log). */
export const flagStep: StepExecutor = async (ctx) => {
  const flags = (ctx.step.details['flags'] as string[] | undefined) ?? [
    String(ctx.step.details['flag']),
  ];
  const value = ctx.step.details['set'];
  await ctx.updateEnvironment((state) => ({
    ...state,
    flags: { ...state.flags, ...Object.fromEntries(flags.map((f) => [f, value])) },
  }));
  ctx.log(`flag ${flags.join(', ')} → ${JSON.stringify(value)}`);
  return { kind: 'succeeded', output: { flags, set: value } };
};
