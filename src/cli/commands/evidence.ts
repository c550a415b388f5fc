import { writeFile } from 'node:fs/promises';
import type { EnvironmentState } from '../../core/engine/environment-state.js';
import { parseRun } from '../../core/engine/run-persistence.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { buildEvidence, type EvidenceFacts } from '../../core/report/evidence-bundle.js';
import { renderEvidenceHtml, renderEvidenceMarkdown } from '../../core/report/render-evidence.js';
import type { AuditEventRecord } from '../../core/store/records.js';
import type { CliIo } from '../cli-io.js';
import { withStore } from '../governance-runtime.js';

export interface EvidenceOptions {
  readonly format?: string;
  readonly output?: string;
  readonly json?: boolean;
}

/** `eclusa evidence ID`: what this deployment proves, from its records and the audit log; JSON, Markdown or HTML. */
export async function evidenceCommand(
  io: CliIo,
  id: string,
  options: EvidenceOptions,
): Promise<number> {
  const format = options.json ? 'json' : (options.format ?? 'md');
  if (!['json', 'md', 'html'].includes(format)) {
    throw invalidInput('INVALID_FORMAT', `--format ${format} is not one of json, md, html`);
  }
  return withStore(io, { writes: false }, async ({ store }) => {
    const facts = await store.read(async (r): Promise<EvidenceFacts | undefined> => {
      const record = await r.getDeploymentRun(id);
      const deployment = await r.getDeployment(id);
      if (!record || !deployment) return undefined;
      const release = await r.getRelease(deployment.release);
      if (!release) return undefined;
      const events: AuditEventRecord[] = [];
      const subjects = new Set([`deployment/${id}`]);
      for await (const batch of r.iterateAuditEvents(1, 5_000)) {
        for (const event of batch) {
          if (
            subjects.has(event.subject) ||
            (event.kind === 'environment.changed' && event.body.includes(`"deployment":"${id}"`))
          )
            events.push(event);
        }
      }
      const environment = await r.getEnvironmentState(deployment.environment);
      return {
        deployment,
        release,
        state: parseRun(record, deployment).state,
        approvals: await r.listApprovals(deployment.release, deployment.environment),
        waivers: await r.listWaivers(deployment.release, deployment.environment),
        environment: environment
          ? (JSON.parse(environment.state) as EnvironmentState)
          : { components: {} },
        events,
      };
    });
    if (!facts)
      throw invalidInput('UNKNOWN_DEPLOYMENT', `no deployment ${id} run by eclusa`, {
        hint: 'list them with eclusa status',
      });
    const bundle = buildEvidence(facts);
    const text =
      format === 'json'
        ? JSON.stringify(bundle, null, 2)
        : format === 'html'
          ? renderEvidenceHtml(bundle)
          : renderEvidenceMarkdown(bundle);
    if (options.output) {
      await writeFile(options.output, text);
      io.err(`wrote ${options.output}`);
    } else io.out(text);
    return 0;
  });
}
