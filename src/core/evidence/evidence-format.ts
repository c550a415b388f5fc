import type { EvidenceRef } from '../store/records.js';

export type EvidenceFormat = EvidenceRef['format'];

export const EVIDENCE_FORMATS: readonly EvidenceFormat[] = [
  'junit',
  'lcov',
  'cobertura',
  'score',
  'file',
];

/** How messages name each format, e.g. `Cobertura XML is malformed at line 12`. */
export const FORMAT_LABELS: Readonly<Record<EvidenceFormat, string>> = {
  junit: 'JUnit XML',
  lcov: 'LCOV',
  cobertura: 'Cobertura XML',
  score: 'score JSON',
  file: 'file',
};
