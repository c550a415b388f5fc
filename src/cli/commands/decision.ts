import { decide } from '../../core/services/approval-service.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

export interface DecisionOptions {
  readonly release: string;
  readonly env: string;
  readonly role?: string;
  readonly comment?: string;
  readonly file?: string;
  readonly json?: boolean;
}

/** `eclusa approve` and `eclusa reject`. */
export async function decisionCommand(
  io: CliIo,
  decision: 'approve' | 'reject',
  options: DecisionOptions,
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const record = await decide(context, decision, {
      release: options.release,
      environment: options.env,
      ...(options.role === undefined ? {} : { role: options.role }),
      ...(options.comment === undefined ? {} : { comment: options.comment }),
    });
    if (options.json) writeJson(io, record);
    else
      io.out(
        `${record.actor} ${decision === 'approve' ? 'approved' : 'rejected'} ${record.release} for ${record.environment}${record.role ? ` as ${record.role}` : ''} (${record.id})`,
      );
    return 0;
  });
}
