import type { PolicyRule } from './rule-context.js';

/** In production, a database is backed up before anything migrates it (every seed asks for this). */
export const backupBeforeMigrateRule: PolicyRule = (policy, context) => {
  for (const environment of policy.environments) {
    const backedUp = new Set<string>();
    if (environment.gates?.backup) backedUp.add(environment.gates.backup.database);
    environment.pipeline.forEach((step, i) => {
      if (step.kind === 'backup') backedUp.add(step.database);
      if (step.kind !== 'migrate' || backedUp.has(step.database)) return;
      const report = environment.tier === 'production' ? context.error : context.warning;
      report(
        [...environment.source, 'pipeline', i],
        'BACKUP_BEFORE_MIGRATE',
        `${environment.name} migrates "${step.database}" without a backup before it`,
        `add { kind: backup, database: ${step.database} } before this step, or a gates.backup with a maxAge`,
      );
    });
  }
};
