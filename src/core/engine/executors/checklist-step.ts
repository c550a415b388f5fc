import type { StepExecutor } from '../step-executor.js';

const POLL_MS = 5_000;

/** Waits until a person holding the checklist's role confirms it for this release and environment. */
export const checklistStep: StepExecutor = async (ctx) => {
  const name = String(ctx.step.details['checklist']);
  const confirmations = await ctx.read((r) =>
    r.listChecklistConfirmations(ctx.release.version, ctx.environment.name),
  );
  const items = (ctx.step.details['items'] as string[] | undefined) ?? [];
  const mine = confirmations.filter((c) => c.checklist === name);
  const missing = items.filter((item) => !mine.some((c) => c.item === item));
  if (mine.length > 0 && missing.length === 0) {
    return {
      kind: 'succeeded',
      output: {
        confirmed: mine.map((c) => ({
          item: c.item,
          by: c.actor,
          role: c.role,
          at: c.confirmedAt,
        })),
      },
    };
  }
  return {
    kind: 'wait',
    until: new Date(ctx.clock.now().getTime() + POLL_MS).toISOString(),
    reason: `waiting for checklist ${name}${missing.length ? ` (${missing.length} item(s) open)` : ''}: confirm with eclusa checklist confirm --release ${ctx.release.version} --env ${ctx.environment.name} --checklist ${name}`,
  };
};
