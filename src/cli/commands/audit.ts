import { readFileSync } from 'node:fs';
import { readAuditEvent } from '../../core/audit/audit-event.js';
import { verifyAudit } from '../../core/audit/verify-audit.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { withStore } from '../governance-runtime.js';

/**
 * Keys trusted besides this instance's own: ECLUSA_AUDIT_TRUSTED_KEYS, a comma-separated list
 * of PEM texts or `file:PATH`s (e.g. the keys of other replicas, or of a rotated-out key).
 */
function configuredKeys(io: CliIo): string[] {
  const raw = io.env['ECLUSA_AUDIT_TRUSTED_KEYS'];
  if (!raw) return [];
  return raw
    .split(/,(?=\s*(?:file:|-----BEGIN))/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => (entry.startsWith('file:') ? readFileSync(entry.slice(5), 'utf8') : entry));
}

/** `eclusa audit verify`: exit 0 when intact, 3 when tampered, naming the first bad event. */
export async function auditVerify(io: CliIo, options: { json?: boolean }): Promise<number> {
  return withStore(io, { writes: false }, async ({ store, signer, anchor: anchorFile }) => {
    const anchor = await anchorFile.read();
    const progress = io.isTty && !options.json;
    const verdict = await store.read((reader) =>
      verifyAudit(reader, {
        trustedKeys: [signer.publicKeyPem, ...configuredKeys(io)],
        ...(anchor ? { anchor } : {}),
        ...(progress
          ? { onProgress: ({ verified, total }) => io.err(`verified ${verified}/${total}`) }
          : {}),
      }),
    );
    if (options.json) writeJson(io, verdict);
    else if (verdict.ok)
      io.out(
        `audit log intact: ${verdict.events} event(s), hash chain and signed checkpoints verified`,
      );
    else
      io.out(
        `audit log TAMPERED at event ${verdict.firstBad?.seq ?? '?'}: ${verdict.firstBad?.reason ?? ''}\n(${verdict.events} event(s) before it verified)`,
      );
    return verdict.ok ? 0 : 3;
  });
}

/** `eclusa audit log`: events rendered from their hashed bodies; `--json` prints JSON lines. */
export async function auditLog(
  io: CliIo,
  options: { since?: string; json?: boolean },
): Promise<number> {
  const since = options.since === undefined ? undefined : Date.parse(options.since);
  if (since !== undefined && Number.isNaN(since))
    throw invalidInput('INVALID_DATE', `--since "${options.since}" is not an ISO date-time`, {
      hint: 'e.g. 2026-11-01 or 2026-11-01T00:00:00Z',
    });
  return withStore(io, { writes: false }, async ({ store }) => {
    await store.read(async (reader) => {
      for await (const batch of reader.iterateAuditEvents(1, 1000)) {
        for (const record of batch) {
          if (since !== undefined && Date.parse(record.at) < since) continue;
          const event = readAuditEvent(record);
          if (options.json) io.out(JSON.stringify(event));
          else
            io.out(
              `${String(event.seq).padStart(6)}  ${event.at}  ${event.actor.id}${event.actor.authenticated ? '' : '*'}  ${event.kind}  ${event.subject}  ${JSON.stringify(event.data)}`,
            );
        }
      }
    });
    return 0;
  });
}
