import { histogramQuantile } from './histogram.js';
import type { Measurement, SideReading } from './metrics-source.js';

/** What one measurement showed, kept with the run as the evidence behind its verdict. */
export interface EvidencePoint {
  readonly at: string;
  readonly canary?: PointSide;
  readonly stable?: PointSide;
  /** Condition values evaluated at this measurement, by metric. */
  readonly values?: Readonly<Record<string, number>>;
  /** Why part of the measurement said nothing. */
  readonly problems?: readonly string[];
}

export interface PointSide {
  readonly requests: number;
  readonly errors: number;
  readonly latencyMeanSeconds?: number;
  readonly latencyP95Seconds?: number;
}

/** Only the latest points are kept, so the state the engine saves each interval stays small. */
export const MAX_POINTS = 120;

export function evidencePoint(
  measurement: Measurement,
  values: Readonly<Record<string, number>>,
  problems: readonly string[],
): EvidencePoint {
  const canary = pointSide(measurement.canary);
  const stable = measurement.stable ? pointSide(measurement.stable) : undefined;
  return {
    at: measurement.at,
    ...(canary ? { canary } : {}),
    ...(stable ? { stable } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    ...(problems.length > 0 ? { problems } : {}),
  };
}

export function appendPoint(
  points: readonly EvidencePoint[],
  point: EvidencePoint,
): readonly EvidencePoint[] {
  const next = [...points, point];
  return next.length > MAX_POINTS ? next.slice(next.length - MAX_POINTS) : next;
}

function pointSide(reading: SideReading): PointSide | undefined {
  if (reading.kind !== 'window') return undefined;
  const { requests, errors, latency } = reading.window;
  const p95 = latency?.histogram ? histogramQuantile(0.95, latency.histogram) : undefined;
  return {
    requests,
    errors,
    ...(latency && latency.observations > 0 ? { latencyMeanSeconds: latency.meanSeconds } : {}),
    ...(p95 !== undefined ? { latencyP95Seconds: p95 } : {}),
  };
}
