import { z } from 'zod';
import { durationSchema, thresholdSchema } from './common.js';

/** Metrics eclusa computes itself from any source; anything else needs a `query`. */
export const BUILTIN_METRICS = [
  'error_rate',
  'availability',
  'latency_avg',
  'latency_p50',
  'latency_p90',
  'latency_p95',
  'latency_p99',
  'throughput',
] as const;

export const conditionSchema = z.strictObject({
  metric: z
    .string()
    .min(1)
    .describe(`A built-in metric (${BUILTIN_METRICS.join(', ')}) or a name for a custom query.`),
  query: z
    .string()
    .optional()
    .describe('PromQL for a custom metric; {{canary}} and {{stable}} are filled in.'),
  failWhen: thresholdSchema.describe('When the metric fails the analysis, e.g. "> 1%" or "> 2s".'),
  for: durationSchema.optional().describe('How long the breach must last before it fails.'),
  description: z.string().optional(),
});

export const analysisSchema = z.strictObject({
  description: z.string().optional(),
  source: z.enum(['scrape', 'prometheus', 'haproxy']).optional(),
  prometheusUrl: z.string().optional(),
  match: z
    .string()
    .min(1)
    .optional()
    .describe(
      'source: prometheus. Label matchers that pick one side’s series for the built-in metrics; {{instance}}, {{version}}, {{id}} are filled in (default instance="{{instance}}"), e.g. version="{{version}}" behind a Kubernetes Service.',
    ),
  interval: durationSchema.optional().describe('How often metrics are read (default 10s).'),
  failureLimit: z.number().int().min(0).optional().describe('Failed measurements tolerated.'),
  consecutiveSuccesses: z.number().int().min(1).optional(),
  minRequests: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Below this, a measurement is inconclusive.'),
  inconclusive: z
    .enum(['pause', 'fail'])
    .optional()
    .describe('What missing data does (never a pass).'),
  conditions: z.array(conditionSchema).optional(),
  compare: z
    .strictObject({
      metrics: z.array(z.enum(['error_rate', 'latency'])).min(1),
      maxDegradation: z
        .number()
        .min(0)
        .optional()
        .describe('Acceptable relative degradation, e.g. 0.2.'),
      alpha: z.number().gt(0).lt(0.5).optional().describe('False-alarm rate (default 0.01).'),
      test: z
        .enum(['mixture', 'sprt'])
        .optional()
        .describe(
          "Error-rate test: 'mixture' (default) catches any degradation beyond maxDegradation in time; 'sprt' (Wald) decides sooner, both ways, for a degradation of `detect`.",
        ),
      detect: z
        .number()
        .gt(0)
        .optional()
        .describe(
          'test: sprt only. Smallest relative degradation that must be caught: 1.0 = twice the baseline error odds (default 1.0).',
        ),
      power: z
        .number()
        .min(0.5)
        .lt(1)
        .optional()
        .describe('test: sprt only. Chance of catching a degradation of `detect` (default 0.9).'),
      boundaries: z
        .enum(['exact', 'corrected'])
        .optional()
        .describe(
          "test: sprt only. 'exact' (default): Ville's boundaries, false alarms at most alpha whatever happens. 'corrected': the fail boundary corrected for the overshoot, real false alarms close to alpha, fewer requests (an approximation, checked by simulation).",
        ),
    })
    .optional()
    .describe('Canary versus baseline with a sequential test.'),
});
export type AnalysisInput = z.input<typeof analysisSchema>;
