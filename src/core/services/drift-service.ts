import { scratchName, type Database } from '../database/database.js';
import { openComponent, scrubbed, type DatabaseContext } from '../database/database-context.js';
import type { MigrationFile } from '../database/migration-files.js';
import { planMigrations, type MigrationPlan } from '../database/migration-plan.js';
import type { LedgerEntry, MigrationScript } from '../database/migration-session.js';
import { diffSchemas } from '../database/schema-diff.js';
import { parseSchemaDump, type SchemaEntry } from '../database/schema-entries.js';
import { invalidInput } from '../errors/eclusa-error.js';
import type { DriftCheckRecord, SchemaDifference } from '../store/database-records.js';
import { nowIso } from './governance-context.js';
import { newId } from './ids.js';
import { migrationScript, migrationTarget, sqlMigrationFiles } from './migration-records.js';

/** Everything a drift check or an adoption compares. */
export interface SchemaComparison {
  readonly environment: string;
  readonly database: string;
  readonly db: Database;
  readonly files: readonly MigrationFile[];
  readonly ledger: readonly LedgerEntry[];
  readonly plan: MigrationPlan;
  /** Present when the files match the ledger (no edited or missing migration). */
  readonly schemas?: { readonly live: SchemaEntry[]; readonly expected: SchemaEntry[] };
}

/**
 * The schema the applied migrations produce: each applied file replayed in order into a
 * scratch database (plus `extra` SQL), dumped, and the scratch database dropped.
 */
export async function replaySchema(
  db: Database,
  database: string,
  files: readonly MigrationFile[],
  ledger: readonly LedgerEntry[],
  extra?: MigrationScript,
): Promise<SchemaEntry[]> {
  const applied = new Set(ledger.map((entry) => entry.version));
  const scratch = scratchName('drift', database, newId('x'));
  await db.createDatabase(scratch);
  try {
    const session = await db.openMigrations(scratch);
    try {
      for (const file of files) {
        if (!applied.has(file.version)) continue;
        await session.apply(
          await migrationScript(file, 'up'),
          'eclusa drift',
          new Date(0).toISOString(),
        );
      }
      if (extra) await session.apply(extra, 'eclusa adopt', new Date(0).toISOString());
    } finally {
      await session.close();
    }
    return parseSchemaDump(await db.schemaDump(scratch));
  } finally {
    await db.dropDatabase(scratch);
  }
}

/** Reads files, ledger and (when they agree) both schemas of one database. */
export async function compareSchemas(
  context: DatabaseContext,
  input: { environment: string; database: string },
): Promise<SchemaComparison> {
  const { environment, component, migrations } = migrationTarget(
    context,
    input.environment,
    input.database,
  );
  if (component.engine !== 'postgres' || migrations.tool !== 'sql')
    throw invalidInput(
      'DRIFT_UNSUPPORTED',
      `drift checks need a PostgreSQL database with the built-in sql runner; ${input.database} is ${component.engine} with tool: ${migrations.tool}`,
      { hint: 'drift compares the live schema with what the ledger’s migrations produce' },
    );
  const files = await sqlMigrationFiles(context, input.database, migrations);
  const db = openComponent(context, input.database, component);
  try {
    const session = await db.openMigrations();
    let ledger: LedgerEntry[];
    try {
      ledger = await session.readLedger();
    } finally {
      await session.close();
    }
    const plan = planMigrations(files, ledger);
    const base = { environment, database: input.database, db, files, ledger, plan };
    if (plan.problems.some((p) => p.state === 'edited' || p.state === 'missing')) return base;
    const expected = await replaySchema(db, input.database, files, ledger);
    const live = parseSchemaDump(await db.schemaDump());
    return { ...base, schemas: { live, expected } };
  } catch (error) {
    throw scrubbed(context, error);
  }
}

/** Differences from a comparison: edited or missing migration files, else schema objects. */
export function comparisonDifferences(comparison: SchemaComparison): SchemaDifference[] {
  if (comparison.schemas) return diffSchemas(comparison.schemas.live, comparison.schemas.expected);
  return comparison.plan.problems
    .filter((p) => p.state === 'edited' || p.state === 'missing')
    .map((p) => ({
      object: `migration ${p.file ?? `${p.version}_${p.name}`}`,
      change: p.state === 'missing' ? ('missing' as const) : ('changed' as const),
    }));
}

/**
 * Compares the live schema (`pg_dump --schema-only`, normalised) with the schema the
 * ledger's applied migrations produce in a scratch database, and records the result:
 * every difference — manual SQL in production — names its object.
 */
export async function checkDrift(
  context: DatabaseContext,
  input: { environment: string; database: string },
): Promise<DriftCheckRecord> {
  const comparison = await compareSchemas(context, input);
  const differences = comparisonDifferences(comparison);
  const record: DriftCheckRecord = {
    id: newId('drf'),
    environment: comparison.environment,
    database: input.database,
    status: differences.length === 0 ? 'clean' : 'drifted',
    ledgerVersion: comparison.ledger.at(-1)?.version ?? null,
    differences,
    createdBy: context.actor.id,
    checkedAt: nowIso(context),
  };
  await context.store.write(async (writer) => {
    await writer.insertDriftCheck(record);
    await context.audit.append(writer, {
      kind: record.status === 'clean' ? 'database.drift.clean' : 'database.drift.detected',
      subject: `database/${record.environment}/${record.database}`,
      actor: context.actor,
      data: {
        id: record.id,
        ledgerVersion: record.ledgerVersion,
        objects: differences.map((d) => `${d.change} ${d.object}`),
      },
    });
  });
  return record;
}
