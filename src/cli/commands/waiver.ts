import { approveWaiver, requestWaiver } from '../../core/services/waiver-service.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

export interface WaiverRequestOptions {
  readonly release: string;
  readonly env: string;
  readonly gate: string;
  readonly justification: string;
  readonly risk: string;
  readonly expires?: string;
  readonly file?: string;
  readonly json?: boolean;
}

export async function waiverRequest(io: CliIo, options: WaiverRequestOptions): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const waiver = await requestWaiver(context, {
      release: options.release,
      environment: options.env,
      gate: options.gate,
      justification: options.justification,
      risk: options.risk,
      ...(options.expires === undefined ? {} : { expiresAt: options.expires }),
    });
    if (options.json) writeJson(io, waiver);
    else
      io.out(
        `waiver ${waiver.id} requested for ${waiver.gate} on ${waiver.release} in ${waiver.environment}; it counts once approved (eclusa waiver approve ${waiver.id})`,
      );
    return 0;
  });
}

export async function waiverApprove(
  io: CliIo,
  id: string,
  options: { file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const waiver = await approveWaiver(context, id);
    if (options.json) writeJson(io, waiver);
    else
      io.out(
        `waiver ${waiver.id} approved by ${waiver.approvedBy ?? '?'}: ${waiver.gate} on ${waiver.release} in ${waiver.environment}`,
      );
    return 0;
  });
}
