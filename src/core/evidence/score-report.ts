import { EvidenceParseError } from './evidence-error.js';
import { scanJson } from './scan-json.js';
import { positionAt } from './text-position.js';

/** A custom suite's result, e.g. an LLM evaluation: `{ "score": 0.86, "cases": 20, "passed": 17 }`. */
export type ScoreSummary = {
  readonly score: number;
  readonly cases?: number;
  readonly passed?: number;
};

const HINT =
  'write a JSON object such as {"score": 0.86} or {"score": 0.86, "cases": 20, "passed": 17}';

export function parseScoreReport(fileName: string, text: string): ScoreSummary {
  const errorAt = (reason: string, offset: number): EvidenceParseError =>
    new EvidenceParseError({
      fileName,
      format: 'score',
      reason,
      hint: HINT,
      ...positionAt(text, offset),
    });

  if (text.trim() === '') {
    throw new EvidenceParseError({
      fileName,
      format: 'score',
      reason: 'the file is empty',
      hint: HINT,
    });
  }
  const scan = scanJson(text);
  if (scan.kind === 'error') throw errorAt(scan.reason, scan.offset);
  const document: unknown = JSON.parse(text);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    const found = typeof document === 'number' ? 'a bare number' : describe(document);
    throw errorAt(`expected an object with a "score", found ${found}`, scan.valueOffset);
  }

  const fields = document as Record<string, unknown>;
  const score = fields['score'];
  const scoreOffset = scan.keys.get('score');
  if (score === undefined || scoreOffset === undefined) {
    throw errorAt('the object has no "score" field', scan.valueOffset);
  }
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    throw errorAt(`"score" is ${describe(score)}, not a number`, scoreOffset);
  }

  const count = (key: 'cases' | 'passed'): number | undefined => {
    const raw = fields[key];
    const offset = scan.keys.get(key);
    if (raw === undefined || offset === undefined) return undefined;
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
      throw errorAt(`"${key}" is ${describe(raw)}, not a whole number`, offset);
    }
    return raw;
  };
  const cases = count('cases');
  const passed = count('passed');
  if (cases !== undefined && passed !== undefined && passed > cases) {
    throw errorAt(
      `"passed" (${passed}) is more than "cases" (${cases})`,
      scan.keys.get('passed') ?? 0,
    );
  }
  return {
    score,
    ...(cases === undefined ? {} : { cases }),
    ...(passed === undefined ? {} : { passed }),
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return String(value);
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}
