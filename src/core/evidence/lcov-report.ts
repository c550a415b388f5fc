import { coverageSummary, type CoverageSummary } from './coverage-summary.js';
import { EvidenceParseError } from './evidence-error.js';

interface LcovRecord {
  readonly source: string;
  readonly found: number;
  readonly hit: number;
  /** DA lines: source line → hits, empty when the record had none. */
  readonly hits: ReadonlyMap<number, number>;
}

interface OpenRecord {
  readonly source: string;
  readonly line: number;
  readonly hits: Map<number, number>;
  found?: { readonly value: number; readonly line: number };
  hitCount?: { readonly value: number; readonly line: number };
}

/**
 * Reads an LCOV tracefile (`SF`, `DA`, `LF`, `LH`, `end_of_record`). LF/LH are used as
 * written; a record without them is counted from its DA lines. Tags eclusa does not read
 * (FN, BRDA, VER …) are skipped, but every line must still look like LCOV.
 */
export function parseLcovReport(fileName: string, text: string): CoverageSummary {
  const errorAt = (line: number, column: number, reason: string): EvidenceParseError =>
    new EvidenceParseError({ fileName, format: 'lcov', reason, line, column });

  const lines = text.split('\n');
  const records: LcovRecord[] = [];
  let open: OpenRecord | undefined;

  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') continue;
    const indent = raw.length - raw.trimStart().length;
    if (line === 'end_of_record') {
      if (open === undefined)
        throw errorAt(lineNo, indent + 1, 'end_of_record without an SF: line before it');
      records.push(closeRecord(open, errorAt));
      open = undefined;
      continue;
    }
    const colon = line.indexOf(':');
    const tag = colon === -1 ? '' : line.slice(0, colon);
    if (!/^[A-Z]+$/.test(tag)) {
      throw errorAt(
        lineNo,
        indent + 1,
        `${JSON.stringify(clip(line))} is not an LCOV line (TAG:value or end_of_record)`,
      );
    }
    const value = line.slice(colon + 1);
    const valueColumn = indent + colon + 2;
    const inRecord = (): OpenRecord => {
      if (open === undefined)
        throw errorAt(lineNo, indent + 1, `${tag}: outside a record (no SF: line before it)`);
      return open;
    };
    const wholeNumber = (field: string, column: number, what: string): number => {
      const trimmed = field.trim();
      if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        throw errorAt(
          lineNo,
          column,
          `${what} in ${JSON.stringify(clip(line))} is ${JSON.stringify(clip(field))}, not a whole number`,
        );
      }
      return Number(trimmed);
    };

    switch (tag) {
      case 'SF': {
        if (open !== undefined) {
          throw errorAt(
            lineNo,
            indent + 1,
            `SF: starts a record while the one for ${open.source} (line ${open.line}) has no end_of_record`,
          );
        }
        if (value.trim() === '') throw errorAt(lineNo, valueColumn, 'SF: names no source file');
        open = { source: value.trim(), line: lineNo, hits: new Map() };
        break;
      }
      case 'DA': {
        const record = inRecord();
        const [sourceLine = '', hits = '', ...rest] = value.split(',');
        if (rest.length > 1 || !value.includes(',')) {
          throw errorAt(
            lineNo,
            valueColumn,
            `${JSON.stringify(clip(line))} is not DA:<line>,<hits>`,
          );
        }
        const number = wholeNumber(sourceLine, valueColumn, 'the line number');
        const count = wholeNumber(hits, valueColumn + sourceLine.length + 1, 'the hit count');
        // A line listed twice (merged test runs) is one line whose hits add up.
        record.hits.set(number, (record.hits.get(number) ?? 0) + count);
        break;
      }
      case 'LF':
        inRecord().found = { value: wholeNumber(value, valueColumn, 'LF'), line: lineNo };
        break;
      case 'LH':
        inRecord().hitCount = { value: wholeNumber(value, valueColumn, 'LH'), line: lineNo };
        break;
      default:
        break;
    }
  }

  if (open !== undefined) {
    const last = lines.length - [...lines].reverse().findIndex((line) => line.trim() !== '');
    throw errorAt(
      last,
      1,
      `the file ends inside the record for ${open.source} (line ${open.line}): no end_of_record`,
    );
  }
  if (records.length === 0) {
    throw new EvidenceParseError({
      fileName,
      format: 'lcov',
      reason: 'no records: the file has no SF: line',
    });
  }
  const { found, hit } = total(records);
  if (found === 0) {
    throw new EvidenceParseError({
      fileName,
      format: 'lcov',
      reason: 'no instrumented lines: every record has LF:0',
    });
  }
  return coverageSummary(found, hit);
}

function closeRecord(
  open: OpenRecord,
  errorAt: (line: number, column: number, reason: string) => EvidenceParseError,
): LcovRecord {
  const found = open.found?.value ?? open.hits.size;
  const hit = open.hitCount?.value ?? [...open.hits.values()].filter((hits) => hits > 0).length;
  if (hit > found) {
    throw errorAt(
      open.hitCount?.line ?? open.line,
      1,
      `the record for ${open.source} hits ${hit} lines but has only ${found}`,
    );
  }
  return { source: open.source, found, hit, hits: open.hits };
}

/**
 * Sums records, merging those for the same source file (one per test name, TN:). With
 * DA lines the merge is exact; records that carry only LF/LH keep the larger figures.
 */
function total(records: readonly LcovRecord[]): { found: number; hit: number } {
  const bySource = new Map<string, LcovRecord[]>();
  for (const record of records)
    bySource.set(record.source, [...(bySource.get(record.source) ?? []), record]);
  let found = 0;
  let hit = 0;
  for (const group of bySource.values()) {
    if (group.length > 1 && group.every((record) => record.hits.size > 0)) {
      const merged = new Map<number, number>();
      for (const record of group) {
        for (const [line, hits] of record.hits) merged.set(line, (merged.get(line) ?? 0) + hits);
      }
      found += merged.size;
      hit += [...merged.values()].filter((hits) => hits > 0).length;
    } else {
      found += Math.max(...group.map((record) => record.found));
      hit += Math.max(...group.map((record) => record.hit));
    }
  }
  return { found, hit };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
