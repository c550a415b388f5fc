import type { MetricsSide } from '../../../core/analysis/metrics-source.js';

/**
 * `{{canary}}` and `{{stable}}` in a custom query become the side's instance (`host:port`,
 * Prometheus' `instance` label for a scraped target), or its id when it has no endpoint;
 * `{{canary.version}}`, `{{canary.id}}` and `{{canary.instance}}` (and the same for stable)
 * name one property.
 */
const PLACEHOLDER = /\{\{\s*([a-z]+)(?:\.([a-z]+))?\s*\}\}/g;
const ROLES = new Set(['canary', 'stable']);
const PROPERTIES = new Set(['instance', 'version', 'id']);

export function instanceOf(side: MetricsSide): string {
  return side.endpoint ? `${side.endpoint.host}:${side.endpoint.port}` : side.id;
}

/** The query with its placeholders filled, or why it cannot be. */
export function fillPlaceholders(
  query: string,
  sides: { readonly canary?: MetricsSide; readonly stable?: MetricsSide },
): { readonly query: string } | { readonly problem: string } {
  let problem: string | undefined;
  const filled = query.replace(PLACEHOLDER, (whole, role: string, property?: string) => {
    if (!ROLES.has(role) || (property !== undefined && !PROPERTIES.has(property))) {
      problem ??= `unknown placeholder ${whole}: use {{canary}}, {{stable}} or {{canary.version|id|instance}}`;
      return whole;
    }
    const side = role === 'canary' ? sides.canary : sides.stable;
    if (!side) {
      problem ??= `${whole} is used but this analysis has no ${role} side`;
      return whole;
    }
    if (property === 'version') return side.version;
    if (property === 'id') return side.id;
    return instanceOf(side);
  });
  return problem ? { problem } : { query: filled };
}

/** A syntactically neutral stand-in for every placeholder, to ask Prometheus to parse a query. */
export function neutralPlaceholders(query: string): string {
  return query.replace(PLACEHOLDER, (_whole, role: string) => `${role}-placeholder`);
}

/** Label matchers for one side's series: `instance="{{instance}}"` unless configured. */
export function sideMatcher(template: string, side: MetricsSide): string {
  return template
    .replaceAll('{{instance}}', escapeLabel(instanceOf(side)))
    .replaceAll('{{version}}', escapeLabel(side.version))
    .replaceAll('{{id}}', escapeLabel(side.id));
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
