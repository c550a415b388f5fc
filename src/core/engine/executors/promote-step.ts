import { textDetail } from '../step-details.js';
import type { StepExecutor } from '../step-executor.js';

const POLL_MS = 2_000;

/**
 * A manual pause: waits until someone runs `deployment promote`. Each promote moves one
 * pause on, in order, so a promote given early is not lost and is never counted twice.
 */
export const promoteStep: StepExecutor = (ctx) => {
  const promotes = ctx.run.control.promotes ?? [];
  const consumed = ctx.run.steps.filter(
    (s) =>
      s.kind === 'approval' && s.status === 'succeeded' && s.output?.['promotedBy'] !== undefined,
  ).length;
  const promote = promotes[consumed];
  if (promote) {
    return Promise.resolve({
      kind: 'succeeded',
      output: { promotedBy: promote.by, promotedAt: promote.at, full: promote.full },
    });
  }
  const until = new Date(ctx.clock.now().getTime() + POLL_MS).toISOString();
  return Promise.resolve({
    kind: 'wait',
    until,
    reason: `waiting at ${textDetail(ctx.step, 'weight') ?? '?'}% until someone runs eclusa deployment promote ${ctx.deployment.id}`,
  });
};
