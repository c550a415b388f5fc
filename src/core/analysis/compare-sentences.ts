import type { CompareConfig } from './analysis-config.js';
import { formatCount, formatP, formatPercent, formatSeconds } from './analysis-words.js';
import type {
  ErrorRateComparison,
  LatencyComparison,
  SprtErrorRate,
  Tally,
} from './compare-judge.js';
import { histogramQuantile } from './histogram.js';
import type { LatencyHistogram } from './metrics-source.js';
import { correctedSprtBoundaries, sprtBoundaries } from './stats/sprt-test.js';

// The comparative judge's sentences: "canary 5xx 4.1 % vs baseline 0.9 %, 1,240 canary requests, p < 0.001: …".

export function describeErrorRate(comparison: ErrorRateComparison, config: CompareConfig): string {
  const { canary, stable, evidence } = comparison;
  const rates =
    `canary 5xx ${ratio(canary)} vs baseline ${ratio(stable)}, ` +
    `${formatCount(canary.requests)} canary requests`;
  if (!evidence) return describeSprt(rates, comparison, config);
  switch (comparison.status) {
    case 'failed':
      return `${rates}, ${formatP(Math.exp(-evidence.maxLogUp))}: ${worse('worse', config)}`;
    case 'passed':
      return `${rates}: ${within(config)}, ${formatP(Math.exp(-evidence.maxLogDown))}`;
    default:
      return `${rates}, no degradation shown (${formatP(Math.exp(-evidence.maxLogUp))})`;
  }
}

export function describeLatency(comparison: LatencyComparison, config: CompareConfig): string {
  const { canary, stable, evidence } = comparison;
  if (!canary || !stable) return 'latency: no histogram from both sides yet';
  const quantiles = (histogram: LatencyHistogram): string => {
    const p50 = histogramQuantile(0.5, histogram);
    const p95 = histogramQuantile(0.95, histogram);
    return p50 === undefined || p95 === undefined
      ? 'no requests'
      : `p50 ${formatSeconds(p50)}, p95 ${formatSeconds(p95)}`;
  };
  const lead =
    `canary latency ${quantiles(canary)} vs baseline ${quantiles(stable)}, ` +
    `${formatCount(total(canary))} canary requests`;
  switch (comparison.status) {
    case 'failed':
      return `${lead}, ${formatP(Math.exp(-evidence.maxLogUp))}: ${worse('slower', config)}`;
    case 'passed':
      return `${lead}: ${within(config)}, ${formatP(Math.exp(-evidence.maxLogDown))}`;
    default:
      return `${lead}, no slowdown shown (${formatP(Math.exp(-evidence.maxLogUp))})`;
  }
}

/**
 * The SPRT's sentence. A pass says only what the test showed: no degradation as large as
 * `detect` (a smaller one may be there), with the power it had to see one.
 */
function describeSprt(rates: string, comparison: SprtErrorRate, config: CompareConfig): string {
  const sprt = config.sprt;
  if (!sprt) return rates;
  const test =
    `SPRT, α ${relative(config.alpha)}, power ${relative(sprt.power)}` +
    (sprt.boundaries === 'corrected' ? ', overshoot-corrected boundaries' : '');
  const ratio = formatRatio(Math.exp(comparison.sprt.logRatio));
  switch (comparison.status) {
    case 'failed':
      return `${rates}: ${worse('worse', config)} (${test}, likelihood ratio ${ratio})`;
    case 'passed':
      return `${rates}: no degradation of ${relative(sprt.detect)} or more (${test})`;
    default: {
      // Before any window, corrected boundaries are Wald's: no jump seen to correct for.
      const { fail, pass } =
        comparison.boundaries ??
        (sprt.boundaries === 'corrected'
          ? correctedSprtBoundaries(config.alpha, sprt.power, 0, 0, {
              canaryShare: 0,
              baselineErrorRate: 0,
              baselineRequests: 0,
            })
          : sprtBoundaries(config.alpha, sprt.power));
      const against = config.maxDegradation > 0 ? `+${margin(config)}` : 'none';
      return (
        `${rates}, undecided (${test}: likelihood ratio ${ratio} for +${relative(sprt.detect)} ` +
        `against ${against}; fails at ${formatRatio(Math.exp(fail))}, passes at ${formatRatio(Math.exp(pass))})`
      );
    }
  }
}

function formatRatio(value: number): string {
  if (value >= 1_000) return formatCount(value);
  return value >= 10 ? value.toFixed(0) : String(Number(value.toPrecision(2)));
}

function relative(value: number): string {
  const percent = value * 100;
  return `${Number.isInteger(percent) ? percent : Number(percent.toFixed(1))} %`;
}

function margin(config: CompareConfig): string {
  return relative(config.maxDegradation);
}

function worse(adjective: string, config: CompareConfig): string {
  return config.maxDegradation > 0
    ? `${adjective} than baseline by more than the ${margin(config)} allowed`
    : `${adjective} than baseline`;
}

function within(config: CompareConfig): string {
  return config.maxDegradation > 0
    ? `within ${margin(config)} of baseline`
    : 'no worse than baseline';
}

function ratio(tally: Tally): string {
  return tally.requests === 0 ? 'n/a' : formatPercent(tally.errors / tally.requests);
}

function total(histogram: LatencyHistogram): number {
  return histogram.counts.reduce((sum, count) => sum + count, 0);
}
