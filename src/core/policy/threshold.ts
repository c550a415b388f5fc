/**
 * A metric threshold as the seeds write it: `> 1%`, `>= 2s`, `< 99%`, `> 500ms`, `> 0.8`.
 * Percentages become ratios (1 % → 0.01) and times become seconds, the units the
 * analysis works in, so `> 500ms` and `> 0.5s` compile to the same rule.
 */
export type Comparator = '>' | '>=' | '<' | '<=';

export interface Threshold {
  readonly comparator: Comparator;
  readonly value: number;
  readonly unit: 'ratio' | 'seconds' | 'number';
  readonly text: string;
}

export const THRESHOLD_PATTERN = /^\s*(>=|<=|>|<)\s*(\d+(?:\.\d+)?)\s*(%|ms|s|m)?\s*$/;

export function parseThreshold(text: string): Threshold | undefined {
  const match = THRESHOLD_PATTERN.exec(text);
  if (!match) return undefined;
  const comparator = match[1] as Comparator;
  const raw = Number(match[2]);
  switch (match[3]) {
    case '%':
      return { comparator, value: raw / 100, unit: 'ratio', text: text.trim() };
    case 'ms':
      return { comparator, value: raw / 1000, unit: 'seconds', text: text.trim() };
    case 's':
      return { comparator, value: raw, unit: 'seconds', text: text.trim() };
    case 'm':
      return { comparator, value: raw * 60, unit: 'seconds', text: text.trim() };
    default:
      return { comparator, value: raw, unit: 'number', text: text.trim() };
  }
}

/** Whether `observed` breaches the threshold (the condition that fails an analysis). */
export function breaches(threshold: Threshold, observed: number): boolean {
  switch (threshold.comparator) {
    case '>':
      return observed > threshold.value;
    case '>=':
      return observed >= threshold.value;
    case '<':
      return observed < threshold.value;
    case '<=':
      return observed <= threshold.value;
  }
}
