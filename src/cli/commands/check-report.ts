import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { reportCheck } from '../../core/services/check-service.js';
import type { EvidenceRef } from '../../core/store/records.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withRuntime } from '../governance-runtime.js';

export interface CheckReportOptions {
  readonly release: string;
  readonly check: string;
  readonly status: string;
  readonly value?: string;
  readonly evidence?: string;
  readonly format?: string;
  readonly file?: string;
  readonly json?: boolean;
}

const FORMATS = ['junit', 'lcov', 'cobertura', 'score', 'file'];

export async function checkReport(io: CliIo, options: CheckReportOptions): Promise<number> {
  if (options.status !== 'pass' && options.status !== 'fail') {
    throw invalidInput('INVALID_STATUS', `--status "${options.status}" is neither pass nor fail`, {
      hint: 'use --status pass or --status fail',
    });
  }
  const value = options.value === undefined ? undefined : Number(options.value);
  if (value !== undefined && !Number.isFinite(value))
    throw invalidInput('INVALID_VALUE', `--value "${options.value}" is not a number`, {
      hint: 'e.g. --value 87.5',
    });
  if (options.format !== undefined && !FORMATS.includes(options.format)) {
    throw invalidInput('INVALID_FORMAT', `--format "${options.format}" is not known`, {
      hint: `formats: ${FORMATS.join(', ')}`,
    });
  }
  let evidence: { fileName: string; content: Buffer; format?: EvidenceRef['format'] } | undefined;
  if (options.evidence !== undefined) {
    try {
      evidence = {
        fileName: basename(options.evidence),
        content: await readFile(resolve(io.cwd, options.evidence)),
      };
    } catch (error) {
      throw invalidInput(
        'UNREADABLE_FILE',
        `cannot read evidence ${options.evidence} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { hint: 'pass the path of the report file CI produced' },
      );
    }
    if (options.format !== undefined)
      evidence = { ...evidence, format: options.format as EvidenceRef['format'] };
  }
  return withRuntime(io, { file: options.file, writes: true }, async ({ context }) => {
    const record = await reportCheck(context, {
      release: options.release,
      check: options.check,
      status: options.status as 'pass' | 'fail',
      ...(value === undefined ? {} : { value }),
      ...(evidence ? { evidence } : {}),
    });
    if (options.json) writeJson(io, record);
    else {
      const read = record.evidence
        ? ` — read from ${record.evidence.fileName} (${record.evidence.format}): ${Object.entries(
            record.evidence.summary,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : '';
      io.out(
        `check ${record.name} of ${record.release}: ${record.status}${record.value === undefined ? '' : ` (${record.value})`}${read}`,
      );
    }
    return 0;
  });
}
