import { readEvidence } from '../evidence/read-evidence.js';
import { invalidInput } from '../errors/eclusa-error.js';
import type { CheckRecord, EvidenceRef } from '../store/records.js';
import { newId } from './ids.js';
import { nowIso, requireRelease, type GovernanceContext } from './governance-context.js';

export interface ReportCheckInput {
  readonly release: string;
  readonly check: string;
  readonly status: 'pass' | 'fail';
  readonly value?: number;
  readonly evidence?: {
    readonly fileName: string;
    readonly content: Buffer;
    readonly format?: EvidenceRef['format'];
  };
}

/**
 * Records a check result. An evidence file is read, not trusted: its facts (tests and
 * failures, coverage, score) are stored with it, and a `pass` that its own evidence
 * contradicts is refused.
 */
export async function reportCheck(
  context: GovernanceContext,
  input: ReportCheckInput,
): Promise<CheckRecord> {
  const definition = context.policy.checks?.[input.check];
  if (!definition) {
    throw invalidInput('UNKNOWN_CHECK', `check "${input.check}" is not in the policy`, {
      hint: `checks: ${Object.keys(context.policy.checks ?? {}).join(', ') || '(none defined)'}`,
    });
  }
  let evidence: EvidenceRef | undefined;
  if (input.evidence) {
    const reading = readEvidence(
      input.evidence.fileName,
      input.evidence.content,
      input.evidence.format,
    );
    await context.blobs.put(input.evidence.content);
    evidence = {
      sha256: reading.sha256,
      format: reading.format,
      fileName: reading.fileName,
      size: reading.size,
      summary: reading.summary,
    };
    const failures =
      Number(reading.summary['failures'] ?? 0) + Number(reading.summary['errors'] ?? 0);
    if (
      input.status === 'pass' &&
      reading.format === 'junit' &&
      failures > 0 &&
      definition.type !== 'tests'
    ) {
      throw invalidInput(
        'EVIDENCE_CONTRADICTS',
        `${input.evidence.fileName} shows ${failures} failed test(s), but the check was reported as pass`,
        {
          hint: 'report --status fail, or fix the tests',
        },
      );
    }
    const fromEvidence = reading.summary['lineCoverage'] ?? reading.summary['score'];
    if (
      input.value !== undefined &&
      typeof fromEvidence === 'number' &&
      Math.abs(fromEvidence - input.value) > 1e-9
    ) {
      throw invalidInput(
        'EVIDENCE_CONTRADICTS',
        `--value ${input.value} disagrees with ${input.evidence.fileName} (${fromEvidence})`,
        {
          hint: 'drop --value: the figure is read from the evidence file',
        },
      );
    }
  }
  return context.store.write(async (writer) => {
    await requireRelease(writer, input.release);
    const record: CheckRecord = {
      id: newId('chk'),
      release: input.release,
      name: input.check,
      status: input.status,
      ...(input.value === undefined ? {} : { value: input.value }),
      ...(evidence ? { evidence } : {}),
      reportedBy: context.actor.id,
      reportedAt: nowIso(context),
    };
    await writer.insertCheck(record);
    await context.audit.append(writer, {
      kind: 'check.reported',
      subject: `release/${input.release}`,
      actor: context.actor,
      data: {
        id: record.id,
        check: input.check,
        status: input.status,
        value: input.value ?? null,
        evidence: evidence
          ? {
              sha256: evidence.sha256,
              format: evidence.format,
              fileName: evidence.fileName,
              summary: { ...evidence.summary },
            }
          : null,
      },
    });
    return record;
  });
}
