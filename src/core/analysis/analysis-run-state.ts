import type { AnalysisConfig } from './analysis-config.js';
import type { CompareState } from './compare-judge.js';
import type { EvidencePoint } from './evidence-point.js';
import type { Measurement, SideWindow } from './metrics-source.js';
import type { ConditionState } from './threshold-judge.js';

/** What an analysis run has concluded; `running` until it has. */
export type Verdict = 'running' | 'passed' | 'failed' | 'inconclusive';

/** The saved state of one analysis run: plain JSON, kept by the engine between measurements. */
export interface AnalysisRunState {
  readonly schema: 1;
  readonly config: AnalysisConfig;
  readonly startedAt: string;
  /** When the window ends (a canary step's pause, a monitoring window); none: until concluded. */
  readonly deadline?: string;
  readonly verdict: Verdict;
  readonly decidedAt?: string;
  /** The verdict in one sentence, with the numbers behind it. */
  readonly summary?: string;
  /** One sentence per judge at the decision. */
  readonly findings: readonly string[];
  readonly measurements: number;
  /** Last time a measurement brought requests or a query value. */
  readonly lastDataAt: string;
  readonly lastProblem?: string;
  /** Canary windows too small to judge on their own, merged until they hold minRequests. */
  readonly pool?: SideWindow;
  readonly conditions: readonly ConditionState[];
  readonly compare?: CompareState;
  readonly points: readonly EvidencePoint[];
}

export type AnalysisEvent =
  | { readonly kind: 'measurement'; readonly measurement: Measurement }
  /** Time passed without a measurement: checks the deadline and stale data. */
  | { readonly kind: 'tick'; readonly at: string }
  /** The window ends now (a person promoted, the engine moves on): decide on what is known. */
  | { readonly kind: 'conclude'; readonly at: string; readonly reason?: string };
