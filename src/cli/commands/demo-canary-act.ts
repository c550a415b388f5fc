import type { RunState } from '../../core/engine/run-state.js';
import type { IncidentRecord } from '../../core/store/incident-records.js';
import type { Store } from '../../core/store/store.js';
import { startDemoLoad } from './demo-load.js';

/** The demo's canary environment: weights 10 → 50 → 100, each judged live from the apps' own metrics. */
export function canaryEnvironment(name: string, port: number): string {
  return `  - name: ${name}
    tier: production
    promotion: { from: none }
    strategy:
      type: canary
      analysis: canary-health
      steps:
        - { weight: 10, pause: 5s }
        - { weight: 50, pause: 5s }
        - { weight: 100 }
    router: { type: builtin, listen: ${port} }
    verify:
      health: { type: http, url: "{url}/health", expect: { status: 200 } }
    rollback: { automatic: true }
    pipeline:
      - { kind: deploy, components: [api] }
      - { kind: verify, against: new, id: verify-canary }
      - { kind: rollout }
      - { kind: verify, against: production, id: verify-live }`;
}

/** Read every second from each version's /metrics: a 5xx threshold and canary against baseline. */
export const CANARY_ANALYSIS = `analyses:
  canary-health:
    description: 5xx of the canary, alone and against the stable version
    source: scrape
    interval: 1s
    minRequests: 15
    inconclusive: fail
    conditions:
      - { metric: error_rate, failWhen: '> 5%' }
    compare: { metrics: [error_rate], maxDegradation: 0.1, alpha: 0.01 }
`;

/** The versions of the canary act and what each one's settings file holds. */
export const CANARY_RELEASES: Record<string, string> = {
  '4.0.0': '',
  '4.1.0': '',
  // A regression only traffic shows: health is fine, three requests in ten fail.
  '4.2.0': 'FAULT_ERROR_RATE=0.3\n',
};

export interface CanaryActResult {
  readonly verdict: string | null;
  readonly incident: IncidentRecord | null;
  readonly load: Record<number, number>;
}

/**
 * The canary act: 4.0.0 goes live (a first release takes all traffic at once), 4.1.0 moves
 * through 10 %, 50 % and 100 % judged live while light traffic flows through the router,
 * and 4.2.0, which fails three requests in ten, is rolled back by its analysis, which
 * opens an incident.
 */
export async function demoCanaryAct(input: {
  readonly environment: string;
  readonly routerPort: number;
  readonly store: Store;
  readonly say: (text: string) => void;
  readonly deploy: (
    release: string,
    environment: string,
  ) => Promise<{ id: string; state?: RunState }>;
}): Promise<CanaryActResult> {
  const { environment, say } = input;
  await input.deploy('4.0.0', environment);
  const url = `http://127.0.0.1:${input.routerPort}/api/hello`;
  say(`\n   light traffic: about 80 requests/s to ${url} while the canaries are judged`);
  const load = startDemoLoad(url, 80, 90_000);
  let statuses: Record<number, number>;
  let last: { id: string; state?: RunState } | undefined;
  try {
    await input.deploy('4.1.0', environment);
    say('\n   4.2.0 fails 30 % of its requests; only its metrics show it');
    last = await input.deploy('4.2.0', environment);
  } finally {
    statuses = await load.stop();
  }
  const cause = last.state?.rollbackCause;
  const verdict = cause ? cause.message : null;
  if (verdict) say(`   verdict: ${verdict}`);
  const incident =
    (await input.store.read((r) => r.listIncidents({ deploymentId: last.id })))[0] ?? null;
  if (incident)
    say(
      `   incident ${incident.id} (${incident.severity}) is open for ${incident.release} in ${incident.environment}: eclusa incident list`,
    );
  say(
    `   traffic sent: ${Object.entries(statuses)
      .map(([status, n]) => `${n} × ${status === '0' ? 'no answer' : status}`)
      .join(', ')}`,
  );
  return { verdict, incident, load: statuses };
}
