import { BUILTIN_METRICS } from '../schema/analysis.js';
import type { PolicyRule } from './rule-context.js';

const builtin = new Set<string>(BUILTIN_METRICS);

/** Analyses, migrations and environments must say enough to be run. */
export const contentRule: PolicyRule = (policy, context) => {
  for (const [name, analysis] of Object.entries(policy.analyses ?? {})) {
    const path = ['analyses', name];
    if ((analysis.conditions ?? []).length === 0 && !analysis.compare) {
      context.error(
        path,
        'EMPTY_ANALYSIS',
        `analysis "${name}" judges nothing`,
        'add conditions (metric + failWhen) or a compare block',
      );
    }
    if (analysis.source === 'prometheus' && !analysis.prometheusUrl) {
      context.error(
        [...path, 'source'],
        'MISSING_KEY',
        `analysis "${name}" reads Prometheus but gives no prometheusUrl`,
        'add prometheusUrl: http://prometheus:9090',
      );
    }
    analysis.conditions?.forEach((condition, i) => {
      if (condition.query === undefined && !builtin.has(condition.metric)) {
        context.error(
          [...path, 'conditions', i, 'metric'],
          'UNKNOWN_METRIC',
          `"${condition.metric}" is not a built-in metric and has no query`,
          `use one of ${BUILTIN_METRICS.join(', ')} or add a PromQL query`,
        );
      }
      if (condition.query !== undefined && analysis.source !== 'prometheus') {
        context.error(
          [...path, 'conditions', i, 'query'],
          'QUERY_NEEDS_PROMETHEUS',
          `a PromQL query needs source: prometheus (analysis "${name}" reads ${analysis.source ?? 'scrape'})`,
          'set source: prometheus and prometheusUrl, or use a built-in metric',
        );
      }
    });
  }

  for (const [name, component] of Object.entries(policy.components)) {
    if (component.kind !== 'database' || !component.migrations) continue;
    const path = ['components', name, 'migrations'];
    const migrations = component.migrations;
    if (migrations.tool === 'sql' && !migrations.dir) {
      context.error(
        path,
        'MISSING_KEY',
        `migrations of "${name}" use the built-in sql runner but name no dir`,
        'add dir: migrations (the folder of NNN_name.up.sql files)',
      );
    }
    if (migrations.tool === 'command' && !migrations.command) {
      context.error(
        path,
        'MISSING_KEY',
        `migrations of "${name}" run a command but name none`,
        'add command: e.g. alembic upgrade head',
      );
    }
    if (
      migrations.tool === 'command' &&
      migrations.down !== undefined &&
      migrations.down !== 'never' &&
      !migrations.downCommand
    ) {
      context.error(
        [...path, 'down'],
        'MISSING_KEY',
        `migrations of "${name}" go down on rollback but give no downCommand`,
        'add downCommand: e.g. alembic downgrade -1',
      );
    }
  }

  for (const environment of policy.environments) {
    if (environment.tier !== 'production') continue;
    if (!environment.gates?.approvals) {
      context.warning(
        environment.source,
        'NO_APPROVALS',
        `production environment "${environment.name}" needs no approval`,
        'add gates.approvals with the roles that decide go/no-go',
      );
    }
    if (
      environment.pipeline.length > 0 &&
      !environment.pipeline.some((step) => step.kind === 'verify')
    ) {
      context.warning(
        [...environment.source, 'pipeline'],
        'NO_VERIFICATION',
        `production environment "${environment.name}" never verifies the new version`,
        'add a verify step with HTTP or smoke checks',
      );
    }
  }
};
