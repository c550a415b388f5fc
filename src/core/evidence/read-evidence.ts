import { createHash } from 'node:crypto';
import { invalidInput } from '../errors/eclusa-error.js';
import type { EvidenceRef } from '../store/records.js';
import { parseCoberturaReport } from './cobertura-report.js';
import { decodeText } from './decode-text.js';
import { detectEvidenceFormat } from './detect-evidence-format.js';
import { EVIDENCE_FORMATS, type EvidenceFormat } from './evidence-format.js';
import { parseJunitReport } from './junit-report.js';
import { parseLcovReport } from './lcov-report.js';
import { parseScoreReport } from './score-report.js';

/** What eclusa read from an evidence file: stored as is as a check's `evidence`. */
export type EvidenceReading = EvidenceRef;

type Summary = EvidenceRef['summary'];

const READERS: Readonly<Record<EvidenceFormat, (fileName: string, text: string) => Summary>> = {
  junit: parseJunitReport,
  lcov: parseLcovReport,
  cobertura: parseCoberturaReport,
  score: parseScoreReport,
  // An opaque file is kept and hashed; eclusa claims to have read nothing from it.
  file: () => ({}),
};

/**
 * Reads the facts from an uploaded report. `format` is detected from the content when
 * not given; a file that claims or looks like a known format but cannot be read throws
 * an `EvidenceParseError` rather than yield zeros.
 */
export function readEvidence(
  fileName: string,
  content: Buffer,
  format?: EvidenceFormat,
): EvidenceReading {
  if (format !== undefined && !EVIDENCE_FORMATS.includes(format)) {
    throw invalidInput('EVIDENCE_FORMAT_UNKNOWN', `unknown evidence format "${String(format)}"`, {
      hint: `use one of: ${EVIDENCE_FORMATS.join(', ')}`,
    });
  }
  const text = format === 'file' ? '' : decodeText(content);
  const chosen = format ?? detectEvidenceFormat(text);
  return {
    format: chosen,
    summary: READERS[chosen](fileName, text),
    sha256: createHash('sha256').update(content).digest('hex'),
    size: content.byteLength,
    fileName,
  };
}
