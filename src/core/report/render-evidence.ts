import type { EvidenceBundle } from './evidence-bundle.js';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** One table: header row and body rows, as Markdown or as HTML. */
function table(format: 'md' | 'html', header: string[], rows: unknown[][]): string {
  if (rows.length === 0) return format === 'md' ? '_none_\n' : '<p><em>none</em></p>';
  if (format === 'md') {
    const line = (cells: string[]): string =>
      `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
    return (
      [line(header), line(header.map(() => '---')), ...rows.map((r) => line(r.map(cell)))].join(
        '\n',
      ) + '\n'
    );
  }
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(cell(c))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function sections(format: 'md' | 'html', e: EvidenceBundle): [string, string][] {
  const t = (header: string[], rows: unknown[][]): string => table(format, header, rows);
  return [
    [
      'Release',
      t(
        ['version', 'commit', 'tag', 'owner'],
        [[e.release.version, e.release.commit, e.release.tag, e.release.owner]],
      ) +
        t(
          ['component', 'artifact', 'digest'],
          e.release.artifacts.map((a) => [a.component, a.ref, a.digest]),
        ),
    ],
    [
      'Gates (preflight)',
      t(
        ['gate', 'status', 'why'],
        e.gates.map((g) => [g.name, g.status, g.reason]),
      ),
    ],
    [
      'Approvals',
      t(
        ['role', 'by', 'decision', 'at', 'comment'],
        e.approvals.map((a) => [a.role, a.by, a.decision, a.at, a.comment]),
      ),
    ],
    [
      'Waivers',
      t(
        ['gate', 'requested by', 'approved by', 'justification', 'risk', 'expires'],
        e.waivers.map((w) => [
          w.gate,
          w.requestedBy,
          w.approvedBy,
          w.justification,
          w.risk,
          w.expiresAt,
        ]),
      ),
    ],
    [
      'Steps',
      t(
        ['phase', 'step', 'kind', 'status', 'started', 'finished', 'error'],
        e.steps.map((s) => [s.phase, s.name, s.kind, s.status, s.startedAt, s.finishedAt, s.error]),
      ),
    ],
    [
      'Backups',
      t(
        ['step', 'record'],
        e.backups.map((b) => [b['step'], b]),
      ),
    ],
    [
      'Migrations',
      t(
        ['step', 'record'],
        e.migrations.map((m) => [m['step'], m]),
      ),
    ],
    [
      'Verification',
      t(
        ['step', 'check', 'result', 'detail'],
        e.verification.flatMap((v) =>
          ((v['results'] as { name: string; ok: boolean; detail: string }[] | undefined) ?? []).map(
            (r) => [v['step'], r.name, r.ok ? 'pass' : 'FAIL', r.detail],
          ),
        ),
      ),
    ],
    [
      'Cache',
      t(
        ['step', 'action', 'paths', 'at'],
        e.cache.map((c) => [c['step'], c['action'], c['paths'], c['at']]),
      ),
    ],
    [
      'Components at the end',
      t(
        ['component', 'version', 'slot'],
        Object.entries(e.components).map(([n, c]) => [n, c.version, c.slot]),
      ),
    ],
    [
      'Rollback',
      e.rollback
        ? t(
            ['trigger', 'step', 'reason', 'at'],
            [[e.rollback.trigger, e.rollback.step, e.rollback.reason, e.rollback.at]],
          )
        : format === 'md'
          ? 'No rollback.\n'
          : '<p>No rollback.</p>',
    ],
    [
      'Incident',
      e.incidents.length > 0
        ? t(
            ['id', 'severity', 'status', 'trigger', 'reason', 'opened', 'ack due', 'resolution'],
            e.incidents.map((i) => [
              i.id,
              i.severity,
              i.status,
              i.trigger,
              i.reason,
              i.openedAt,
              i.ackDue,
              i.resolution,
            ]),
          )
        : format === 'md'
          ? 'No incident.\n'
          : '<p>No incident.</p>',
    ],
    [
      'Timeline (audit log)',
      t(
        ['seq', 'at', 'event', 'actor', 'details'],
        e.timeline.map((x) => [x.seq, x.at, x.kind, x.actor, x.summary]),
      ),
    ],
  ];
}

export function renderEvidenceMarkdown(e: EvidenceBundle): string {
  const head = `# Evidence: ${e.deployment.release} → ${e.deployment.environment}\n\nDeployment ${e.deployment.id}, requested by ${e.deployment.requestedBy} at ${e.deployment.createdAt}: **${e.deployment.status}**${e.deployment.outcome ? ` — ${e.deployment.outcome}` : ''}.\n\nAudit events ${cell(e.audit.firstSeq)}–${cell(e.audit.lastSeq)}, last hash \`${cell(e.audit.lastHash)}\` (check with \`eclusa audit verify\`).\n`;
  return (
    head +
    sections('md', e)
      .map(([title, body]) => `\n## ${title}\n\n${body}`)
      .join('')
  );
}

/** A self-contained page: no script, no external asset. */
export function renderEvidenceHtml(e: EvidenceBundle): string {
  const style =
    'body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}th{background:#f3f3f3}.s-succeeded{color:#17692d}.s-rolled_back,.s-failed,.s-aborted{color:#a01818}code{font-size:12px}';
  const body = sections('html', e)
    .map(([title, content]) => `<h2>${escapeHtml(title)}</h2>${content}`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evidence ${escapeHtml(e.deployment.release)} → ${escapeHtml(e.deployment.environment)}</title><style>${style}</style></head><body><h1>Evidence: ${escapeHtml(e.deployment.release)} → ${escapeHtml(e.deployment.environment)}</h1><p>Deployment <code>${escapeHtml(e.deployment.id)}</code>, requested by ${escapeHtml(e.deployment.requestedBy)} at ${escapeHtml(e.deployment.createdAt)}: <strong class="s-${escapeHtml(e.deployment.status)}">${escapeHtml(e.deployment.status)}</strong>${e.deployment.outcome ? ` — ${escapeHtml(e.deployment.outcome)}` : ''}.</p><p>Audit events ${escapeHtml(cell(e.audit.firstSeq))}–${escapeHtml(cell(e.audit.lastSeq))}, last hash <code>${escapeHtml(cell(e.audit.lastHash))}</code>.</p>${body}</body></html>\n`;
}
