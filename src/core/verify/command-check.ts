import { resolve } from 'node:path';
import { fillShellTemplate } from '../command/shell-template.js';
import { formatDuration } from '../policy/duration.js';
import type { AttemptContext, AttemptResult } from './retry-loop.js';
import {
  checkPlaceholders,
  resolveRecord,
  type CheckContext,
  type VerificationDocument,
} from './verification-context.js';

type CommandCheck = Extract<VerificationDocument, { type: 'command' }>;

const OUTPUT_CHARS = 4_000;

/** A command check (Newman, pytest, a smoke script): exit code 0 passes; its output is kept, bounded. */
export function prepareCommandCheck(
  check: CommandCheck,
  context: CheckContext,
): (attempt: AttemptContext) => Promise<AttemptResult> {
  const { deps, field } = context;
  const placeholders = checkPlaceholders(context, check.run, `${field}.run`);
  const command = fillShellTemplate(check.run, placeholders);
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(deps.env ?? {})) {
    if (value !== undefined && !name.startsWith('ECLUSA_')) inherited[name] = value;
  }
  const env = {
    ...inherited,
    ...resolveRecord(context, check.env, `${field}.env`),
    ...Object.fromEntries(
      Object.entries(placeholders).map(([name, value]) => [`ECLUSA_${name.toUpperCase()}`, value]),
    ),
  };
  const cwd = check.cwd === undefined ? deps.baseDir : resolve(deps.baseDir, check.cwd);

  return async (attempt) => {
    const outcome = await deps.commands.run({
      command,
      cwd,
      env,
      timeoutMs: attempt.limitMs,
      signal: attempt.signal,
    });
    const lines = outcome.tail.map((line) => context.redact(line));
    let output = lines.join('\n');
    if (output.length > OUTPUT_CHARS) output = `…${output.slice(-OUTPUT_CHARS)}`;
    const last = lines.filter((line) => line.trim() !== '').at(-1);
    const said =
      last === undefined ? '' : `: ${last.length > 160 ? `${last.slice(0, 160)}…` : last}`;
    const took = formatDuration(outcome.durationMs);
    if (outcome.aborted && attempt.cancelled())
      return { ok: false, detail: 'cancelled; its process group was killed', output };
    if (outcome.timedOut || outcome.aborted) {
      return {
        ok: false,
        detail: `did not finish within ${formatDuration(attempt.limitMs)}; its process group was killed${said}`,
        output,
      };
    }
    if (outcome.exitCode === 0) return { ok: true, status: 0, detail: `exit 0 in ${took}`, output };
    if (outcome.exitCode === null)
      return { ok: false, detail: `killed by ${outcome.signal} after ${took}${said}`, output };
    return {
      ok: false,
      status: outcome.exitCode,
      detail: `exit ${outcome.exitCode} after ${took}${said}`,
      output,
    };
  };
}
