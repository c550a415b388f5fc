import { isAbsolute, resolve } from 'node:path';
import type { StepContext, StepExecutor } from '../step-executor.js';

const OUTPUT_LIMIT = 4_000;
const COMMAND_BACKSTOP_MS = 6 * 60 * 60_000;

/** Placeholders a command may use: the release and the environment it deploys. */
export function fillPlaceholders(text: string, ctx: StepContext): string {
  return text
    .replaceAll('{version}', ctx.release.version)
    .replaceAll('{release}', ctx.release.version)
    .replaceAll('{environment}', ctx.environment.name)
    .replaceAll('{deployment}', ctx.deployment.id);
}

/** Runs a shell command of the policy with its environment; exit code 0 passes. */
export async function runPolicyCommand(
  ctx: StepContext,
  input: { run: string; cwd?: string; env?: Readonly<Record<string, string>> },
): Promise<{ ok: boolean; detail: string; output: string }> {
  const secrets = ctx.ports.secrets;
  const command = fillPlaceholders(
    secrets.text(input.run, `${ctx.step.source ?? ctx.step.id}.run`),
    ctx,
  );
  const cwd = input.cwd
    ? isAbsolute(input.cwd)
      ? input.cwd
      : resolve(ctx.ports.policyDir, input.cwd)
    : ctx.ports.policyDir;
  const env = {
    ...ctx.ports.baseEnv,
    ECLUSA_RELEASE: ctx.release.version,
    ECLUSA_VERSION: ctx.release.version,
    ECLUSA_ENVIRONMENT: ctx.environment.name,
    ECLUSA_DEPLOYMENT: ctx.deployment.id,
    ...secrets.record(input.env, `${ctx.step.source ?? ctx.step.id}.env`),
  };
  const result = await ctx.ports.commands.run({
    command,
    cwd,
    env,
    // The step's own timeout aborts the signal; this is only a backstop.
    timeoutMs: ctx.step.timeoutMs ?? COMMAND_BACKSTOP_MS,
    signal: ctx.signal,
    onLine: (line) => ctx.log(secrets.redact(line)),
  });
  const output = secrets.redact(result.tail.join('\n')).slice(-OUTPUT_LIMIT);
  const ok = result.exitCode === 0;
  const detail = result.timedOut
    ? 'timed out, its process group killed'
    : result.aborted
      ? 'stopped, its process group killed'
      : result.exitCode === null
        ? `killed by ${result.signal ?? 'a signal'}`
        : `exit code ${result.exitCode}`;
  return { ok, detail, output };
}

/**
 * A command of the team's own. eclusa cannot know whether it is safe to run twice, so after a
 * crash in the middle it runs again (at least once, as every workflow engine does): write
 * such commands to be repeatable.
 */
export const commandStep: StepExecutor = async (ctx) => {
  const result = await runPolicyCommand(ctx, {
    run: String(ctx.step.details['run']),
    ...(typeof ctx.step.details['cwd'] === 'string' ? { cwd: ctx.step.details['cwd'] } : {}),
    ...(ctx.step.details['env'] ? { env: ctx.step.details['env'] as Record<string, string> } : {}),
  });
  return result.ok
    ? { kind: 'succeeded', output: { detail: result.detail, output: result.output } }
    : {
        kind: 'failed',
        error: `command failed: ${result.detail}`,
        output: { output: result.output },
      };
};
