import { coverageSummary, type CoverageSummary } from './coverage-summary.js';
import {
  countAttribute,
  descendants,
  readXmlDocument,
  type XmlDocument,
  type XmlElement,
} from './xml-document.js';

/**
 * Reads a Cobertura report (coverage.py, gcovr, JaCoCo and Istanbul converters). The
 * root's `lines-covered`/`lines-valid` are used when both are there; otherwise each
 * class's `<line>` elements are counted, once per file and line number, so a method's
 * copy of its class's lines and a file split into several classes count once.
 */
export function parseCoberturaReport(fileName: string, text: string): CoverageSummary {
  const document = readXmlDocument(fileName, 'cobertura', text);
  const { root } = document;
  if (root.name !== 'coverage') {
    throw document.errorAt(root, `the root element is <${root.name}>, not <coverage>`);
  }
  const covered = countAttribute(document, root, 'lines-covered');
  const valid = countAttribute(document, root, 'lines-valid');
  const counts =
    covered !== undefined && valid !== undefined
      ? { found: valid, hit: covered }
      : countLines(document, root);

  if (counts.hit > counts.found) {
    throw document.errorAt(root, `${counts.hit} lines covered out of only ${counts.found}`);
  }
  if (counts.found === 0) {
    throw document.errorAt(root, 'no instrumented lines: lines-valid is 0 or no <line> elements');
  }
  checkRate(document, root, counts);
  return coverageSummary(counts.found, counts.hit);
}

function countLines(document: XmlDocument, root: XmlElement): { found: number; hit: number } {
  const hitsByLine = new Map<string, number>();
  for (const klass of descendants(root, 'class')) {
    const file = klass.attributes['filename'] ?? klass.attributes['name'] ?? '';
    const lines = klass.children
      .filter((child) => child.name === 'lines')
      .flatMap((lines) => lines.children.filter((child) => child.name === 'line'));
    for (const line of lines) {
      const number = countAttribute(document, line, 'number');
      const hits = countAttribute(document, line, 'hits');
      if (number === undefined || hits === undefined) {
        throw document.errorAt(line, '<line> needs both number and hits attributes');
      }
      const key = `${file}\u0000${number}`;
      hitsByLine.set(key, (hitsByLine.get(key) ?? 0) + hits);
    }
  }
  const hit = [...hitsByLine.values()].filter((hits) => hits > 0).length;
  return { found: hitsByLine.size, hit };
}

function checkRate(
  document: XmlDocument,
  root: XmlElement,
  counts: { found: number; hit: number },
): void {
  const raw = root.attributes['line-rate'];
  if (raw === undefined) return;
  const rate = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw document.errorAt(root, `line-rate="${raw}" is not a ratio between 0 and 1`);
  }
  const actual = counts.hit / counts.found;
  // Writers round line-rate (coverage.py to 4 decimals): allow exactly that rounding.
  const decimals = raw.trim().split('.')[1]?.length ?? 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  if (Math.abs(actual - rate) > tolerance) {
    throw document.errorAt(
      root,
      `line-rate="${raw}" but ${counts.hit} of ${counts.found} lines are covered (${actual.toFixed(4)})`,
      'the report contradicts itself, so it was edited or its writer is broken; upload it as the coverage tool wrote it',
    );
  }
}
