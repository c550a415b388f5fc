import { invalidInput } from '../../core/errors/eclusa-error.js';
import { gatesFor } from '../../core/services/gates-service.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

export interface GatesOptions {
  readonly release: string;
  readonly env: string;
  readonly requester?: string;
  readonly at?: string;
  readonly file?: string;
  readonly json?: boolean;
}

const MARK = { pass: '✓', fail: '✗', waived: '~', pending: '…' } as const;

/** `eclusa gates`: every gate with its verdict and why; exit 0 when all pass, 3 when any does not. */
export async function gatesCommand(io: CliIo, options: GatesOptions): Promise<number> {
  const at = options.at === undefined ? undefined : new Date(options.at);
  if (at !== undefined && Number.isNaN(at.getTime()))
    throw invalidInput('INVALID_DATE', `--at "${options.at}" is not an ISO date-time`, {
      hint: 'e.g. 2026-11-26T05:00:00Z',
    });
  return withRuntime(io, { file: options.file, writes: false }, async ({ context }) => {
    const result = await gatesFor(context, {
      release: options.release,
      environment: options.env,
      ...(options.requester === undefined ? {} : { requester: options.requester }),
      ...(at === undefined ? {} : { at }),
    });
    if (options.json) writeJson(io, result);
    else {
      const width = Math.max(...result.gates.map((g) => g.name.length));
      for (const gate of result.gates)
        io.out(
          `${MARK[gate.status]} ${gate.name.padEnd(width)}  ${gate.status.padEnd(7)}  ${gate.reason}`,
        );
      io.out(
        result.ok
          ? `${options.release} may go to ${options.env}`
          : `${options.release} may not go to ${options.env} yet`,
      );
    }
    return result.ok ? 0 : 3;
  });
}
