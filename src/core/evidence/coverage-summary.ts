/** Line coverage as LCOV and Cobertura readers report it. */
export type CoverageSummary = {
  readonly linesFound: number;
  readonly linesHit: number;
  /** Percent, 0–100, rounded to 2 decimals. */
  readonly lineCoverage: number;
};

export function coverageSummary(linesFound: number, linesHit: number): CoverageSummary {
  // Integer arithmetic before the one division keeps 170/200 at exactly 85.
  const lineCoverage = Math.round((linesHit * 10_000) / linesFound) / 100;
  return { linesFound, linesHit, lineCoverage };
}
