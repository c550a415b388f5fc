import type { Clock } from '../time/clock.js';
import { advanceAnalysisRun, analysisQueries, type AnalysisRunState } from './analysis-run.js';
import {
  inconclusive,
  type MeasureRequest,
  type Measurement,
  type MetricsSource,
} from './metrics-source.js';

export interface AnalysisLoopOptions {
  readonly source: MetricsSource;
  /** The sides to measure; the analysis adds its own queries. */
  readonly sides: Pick<MeasureRequest, 'canary' | 'stable'>;
  readonly clock: Clock;
  /** Waits `ms` (a timer in production, a fake clock in tests); returns early on abort. */
  readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  /** After every transition, before waiting: where the engine saves the state. */
  readonly onState?: (state: AnalysisRunState) => Promise<void> | void;
}

/**
 * Measures every interval and advances the run until it has a verdict or the signal stops
 * it (then the state is returned still running, to be concluded or resumed). Started from a
 * saved state it resumes where that left off: the source's first reading only opens a new
 * window, so nothing is counted twice.
 */
export async function runAnalysis(
  initial: AnalysisRunState,
  options: AnalysisLoopOptions,
): Promise<AnalysisRunState> {
  const { source, clock, signal } = options;
  const queries = analysisQueries(initial.config);
  let state = initial;
  while (state.verdict === 'running' && !signal?.aborted) {
    const measurement = await measureSafely(
      source,
      {
        ...options.sides,
        ...(queries.length > 0 ? { queries } : {}),
        ...(signal ? { signal } : {}),
      },
      clock,
    );
    if (signal?.aborted) break;
    state = advanceAnalysisRun(state, { kind: 'measurement', measurement });
    await options.onState?.(state);
    if (state.verdict !== 'running') break;
    await options.wait(state.config.intervalMs, signal);
  }
  return state;
}

/** A source that throws (a bug, not a fault it reports) still yields an inconclusive reading. */
async function measureSafely(
  source: MetricsSource,
  request: MeasureRequest,
  clock: Clock,
): Promise<Measurement> {
  try {
    return await source.measure(request);
  } catch (error) {
    const failed = inconclusive(
      'FAILED',
      `the ${source.kind} source failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      at: clock.now().toISOString(),
      canary: failed,
      ...(request.stable ? { stable: failed } : {}),
      queries: Object.fromEntries((request.queries ?? []).map(({ name }) => [name, failed])),
    };
  }
}
