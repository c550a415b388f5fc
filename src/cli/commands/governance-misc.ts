import { block, unblock } from '../../core/services/blocker-service.js';
import { confirmChecklist } from '../../core/services/checklist-service.js';
import { recordDeployment } from '../../core/services/deployment-record-service.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

interface Common {
  readonly file?: string;
  readonly json?: boolean;
}

export async function checklistConfirm(
  io: CliIo,
  options: Common & {
    release: string;
    env: string;
    checklist: string;
    item?: string[];
    all?: boolean;
  },
): Promise<number> {
  if (!options.all && (options.item ?? []).length === 0)
    throw invalidInput(
      'MISSING_ITEM',
      'say which items: --item N (or its text), repeatable, or --all',
      { hint: 'eclusa checklist confirm … --item 1 --item 2' },
    );
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const records = await confirmChecklist(context, {
      release: options.release,
      environment: options.env,
      checklist: options.checklist,
      ...(options.all ? {} : { items: options.item ?? [] }),
    });
    if (options.json) writeJson(io, { confirmed: records });
    else
      io.out(
        records.length === 0
          ? 'already confirmed: nothing to do'
          : `${records[0]?.actor ?? ''} confirmed ${records.length} item(s) of ${options.checklist}: ${records.map((r) => r.item).join('; ')}`,
      );
    return 0;
  });
}

export async function blockCommand(
  io: CliIo,
  options: Common & { env: string; reason: string },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const record = await block(context, options.env, options.reason);
    if (options.json) writeJson(io, record);
    else
      io.out(
        `${options.env} is blocked (${record.id}): ${record.reason}; another person must run eclusa unblock --env ${options.env}`,
      );
    return 0;
  });
}

export async function unblockCommand(
  io: CliIo,
  options: Common & { env: string; id?: string; resolution?: string },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const record = await unblock(context, options.env, options.id, options.resolution);
    if (options.json) writeJson(io, record);
    else io.out(`blocker ${record.id} on ${options.env} resolved by ${record.resolvedBy ?? '?'}`);
    return 0;
  });
}

export async function deploymentRecord(
  io: CliIo,
  options: Common & { release: string; env: string; status: string; at?: string },
): Promise<number> {
  if (options.status !== 'succeeded' && options.status !== 'failed')
    throw invalidInput(
      'INVALID_STATUS',
      `--status "${options.status}" is neither succeeded nor failed`,
      { hint: 'use --status succeeded or --status failed' },
    );
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const record = await recordDeployment(context, {
      release: options.release,
      environment: options.env,
      status: options.status as 'succeeded' | 'failed',
      ...(options.at === undefined ? {} : { at: options.at }),
    });
    if (options.json) writeJson(io, record);
    else
      io.out(
        `recorded ${record.release} as ${record.status} in ${record.environment} at ${record.createdAt} (${record.id})`,
      );
    return 0;
  });
}
