import { writeFile } from 'node:fs/promises';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { buildEvidence } from '../../core/report/evidence-bundle.js';
import { renderEvidenceHtml, renderEvidenceMarkdown } from '../../core/report/render-evidence.js';
import type { CliIo } from '../cli-io.js';
import { withStore } from '../governance-runtime.js';
import { readEvidenceFacts } from './evidence-facts.js';

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
    const facts = await readEvidenceFacts(store, id);
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
