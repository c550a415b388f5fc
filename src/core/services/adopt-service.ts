import { join } from 'node:path';
import { policyRelative, scrubbed, type DatabaseContext } from '../database/database-context.js';
import { migrationSide } from '../database/migration-files.js';
import { describeProblem } from '../database/migration-plan.js';
import { adoptionStatements } from '../database/schema-adoption.js';
import { diffSchemas } from '../database/schema-diff.js';
import { invalidInput, refused } from '../errors/eclusa-error.js';
import type { DriftCheckRecord, MigrationRunRecord } from '../store/database-records.js';
import { compareSchemas, replaySchema } from './drift-service.js';
import { nowIso } from './governance-context.js';
import { newId } from './ids.js';
import { migrationScript, migrationTarget } from './migration-records.js';

export interface AdoptInput {
  readonly environment: string;
  readonly database: string;
  /** The new migration's name: NNN_<name>.up.sql. */
  readonly name: string;
}

export interface AdoptOutcome {
  /** False when the live schema already matches the migrations (nothing written). */
  readonly adopted: boolean;
  readonly file?: string;
  readonly version?: number;
  readonly statements: readonly string[];
  readonly run?: MigrationRunRecord;
  readonly drift?: DriftCheckRecord;
}

const NAME = /^[a-z0-9][a-z0-9_]*$/;

/**
 * Turns a manual change in the live schema into the next migration file and records it in
 * the ledger as applied (it already is, there). The statements are a diff of the two
 * schema dumps; before anything is written, they are replayed after the existing
 * migrations in a scratch database and must reproduce the live schema exactly. What they
 * cannot express (column positions, generated columns, changed sequences or types …) is
 * refused with the objects named.
 */
export async function adoptDrift(
  context: DatabaseContext,
  input: AdoptInput,
): Promise<AdoptOutcome> {
  if (!NAME.test(input.name))
    throw invalidInput('ADOPT_NAME', `"${input.name}" cannot be a migration name`, {
      hint: 'use lowercase letters, digits and _, e.g. add_orders_status_index',
    });
  const comparison = await compareSchemas(context, input);
  const { db, files, ledger, plan } = comparison;
  if (plan.problems.length > 0)
    throw refused(
      'MIGRATIONS_DRIFTED',
      `nothing adopted: ${plan.problems.map(describeProblem).join('; ')}`,
      {
        hint: 'the migration files must match the ledger before a live change can follow them',
      },
    );
  if (plan.pending.length > 0)
    throw refused(
      'ADOPT_PENDING',
      `${plan.pending.map((f) => f.up.file).join(', ')} ${plan.pending.length === 1 ? 'is' : 'are'} not applied yet`,
      { hint: `apply them first (eclusa migrate up --env ${comparison.environment}), then adopt` },
    );
  const schemas = comparison.schemas;
  if (!schemas || diffSchemas(schemas.live, schemas.expected).length === 0)
    return { adopted: false, statements: [] };

  const adoption = adoptionStatements(schemas.live, schemas.expected);
  if (adoption.inexpressible.length > 0)
    throw refused(
      'ADOPT_INEXPRESSIBLE',
      `cannot write a migration for: ${adoption.inexpressible.join('; ')}`,
      {
        hint: 'write this migration by hand, apply it to a copy, and record it with the ledger',
      },
    );

  const versions = [...files.map((f) => f.version), ...ledger.map((e) => e.version)];
  const version = Math.max(0, ...versions) + 1;
  const width = Math.max(3, ...files.map((f) => /^\d+/.exec(f.up.file)?.[0].length ?? 0));
  const fileName = `${String(version).padStart(width, '0')}_${input.name}.up.sql`;
  const dir = policyRelative(
    context.policy,
    migrationTarget(context, input.environment, input.database).migrations.dir ?? '.',
  );
  const path = join(dir, fileName);
  const objects = diffSchemas(schemas.live, schemas.expected).map((d) => `${d.change} ${d.object}`);
  const content = [
    `-- Adopted by eclusa from the live schema of ${input.database} in ${comparison.environment}`,
    `-- on ${nowIso(context)} by ${context.actor.id}: a change made outside migrations.`,
    '-- It is recorded as applied there and runs everywhere else.',
    ...objects.map((object) => `--   ${object}`),
    '-- Review before committing: a renamed table or column shows up as a drop and an add,',
    '-- which loses its data where this runs.',
    '',
    adoption.statements.join('\n\n'),
    '',
  ].join('\n');
  const side = migrationSide(fileName, path, Buffer.from(content, 'utf8'));
  const script = await migrationScript({ version, name: input.name, up: side }, 'up');

  try {
    const replayed = await replaySchema(db, input.database, files, ledger, script);
    const residual = diffSchemas(schemas.live, replayed);
    if (residual.length > 0)
      throw refused(
        'ADOPT_INCOMPLETE',
        `the generated migration does not reproduce the live schema for: ${residual.map((d) => d.object).join(', ')}`,
        { hint: 'write this migration by hand; nothing was written' },
      );
    await context.files.writeNew(path, content);
    const session = await db.openMigrations();
    try {
      await session.lock(context.migrationLockWaitMs ?? 10_000);
      const now = await session.readLedger();
      if (now.length !== ledger.length)
        throw refused('LEDGER_CHANGED', 'the ledger changed while adopting', {
          hint: 'run adopt again',
        });
      await session.record({
        version,
        name: input.name,
        checksum: side.checksum,
        appliedAt: nowIso(context),
        durationMs: 0,
        appliedBy: context.actor.id,
      });
    } catch (error) {
      await context.files.remove(path);
      throw error;
    } finally {
      await session.close();
    }
  } catch (error) {
    throw scrubbed(context, error);
  }

  const at = nowIso(context);
  const run: MigrationRunRecord = {
    id: newId('mig'),
    environment: comparison.environment,
    database: input.database,
    tool: 'sql',
    direction: 'up',
    status: 'adopted',
    migrations: [{ version, name: input.name, checksum: side.checksum, durationMs: 0 }],
    createdBy: context.actor.id,
    startedAt: at,
    finishedAt: at,
  };
  const drift: DriftCheckRecord = {
    id: newId('drf'),
    environment: comparison.environment,
    database: input.database,
    status: 'clean',
    ledgerVersion: version,
    differences: [],
    createdBy: context.actor.id,
    checkedAt: at,
  };
  await context.store.write(async (writer) => {
    await writer.insertMigrationRun(run);
    await context.audit.append(writer, {
      kind: 'database.migrations.adopted',
      subject: `database/${run.environment}/${run.database}`,
      actor: context.actor,
      data: { id: run.id, file: fileName, version, checksum: side.checksum, objects },
    });
    await writer.insertDriftCheck(drift);
    await context.audit.append(writer, {
      kind: 'database.drift.clean',
      subject: `database/${run.environment}/${run.database}`,
      actor: context.actor,
      data: { id: drift.id, ledgerVersion: version, objects: [], adoptedBy: run.id },
    });
  });
  return { adopted: true, file: path, version, statements: adoption.statements, run, drift };
}
