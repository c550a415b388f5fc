import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Migration } from './migration.js';

type Column = 'text' | 'text null' | 'text unique' | 'real null' | 'seq' | 'seq primary key';

/** Every record type of the port, one table each. */
export const initialMigration: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
    // A seq is the rowid itself in SQLite only as `integer primary key` (keyset pages walk
    // it directly); PostgreSQL's bigint leaves the room a long-lived log may need.
    const seqType = dialect === 'postgres' ? 'bigint' : 'integer';

    const addColumn = (
      table: CreateTableBuilder<string, never>,
      name: string,
      column: Column,
    ): CreateTableBuilder<string, never> => {
      switch (column) {
        case 'text':
          return table.addColumn(name, 'text', (c) => c.notNull());
        case 'text null':
          return table.addColumn(name, 'text');
        case 'text unique':
          return table.addColumn(name, 'text', (c) => c.notNull().unique());
        case 'real null':
          return table.addColumn(name, dialect === 'postgres' ? 'double precision' : 'real');
        case 'seq':
          return table.addColumn(name, seqType, (c) => c.notNull());
        case 'seq primary key':
          return table.addColumn(name, seqType, (c) => c.primaryKey());
      }
    };

    /** `ord` (unless the table has its own integer key) records insertion order: the tie-break between records with the same time. */
    const createTable = async (
      name: string,
      columns: Record<string, Column>,
      options: { ord?: boolean } = {},
    ): Promise<void> => {
      let table = db.schema.createTable(name);
      if (options.ord !== false) {
        // In SQLite `integer primary key` is the rowid; PostgreSQL needs an identity.
        table =
          dialect === 'postgres'
            ? table.addColumn('ord', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
            : table.addColumn('ord', 'integer', (c) => c.primaryKey());
      }
      for (const [column, type] of Object.entries(columns)) {
        table = addColumn(table, column, type);
      }
      await table.execute();
    };

    const createIndex = async (table: string, columns: string[]): Promise<void> => {
      await db.schema
        .createIndex(`${table}_${columns.join('_')}`)
        .on(table)
        .columns(columns)
        .execute();
    };

    await createTable('releases', {
      version: 'text unique',
      source_commit: 'text',
      tag: 'text null',
      changelog: 'text null',
      owner: 'text',
      created_by: 'text',
      created_at: 'text',
      artifacts: 'text',
      content_digest: 'text',
    });

    await createTable('checks', {
      id: 'text unique',
      release: 'text',
      name: 'text',
      status: 'text',
      value: 'real null',
      evidence: 'text null',
      reported_by: 'text',
      reported_at: 'text',
    });
    await createIndex('checks', ['release']);

    await createTable('approvals', {
      id: 'text unique',
      release: 'text',
      environment: 'text',
      role: 'text null',
      actor: 'text',
      decision: 'text',
      comment: 'text null',
      created_at: 'text',
    });
    await createIndex('approvals', ['release', 'environment']);

    await createTable('waivers', {
      id: 'text unique',
      release: 'text',
      environment: 'text',
      gate: 'text',
      justification: 'text',
      risk: 'text',
      expires_at: 'text null',
      requested_by: 'text',
      requested_at: 'text',
      approved_by: 'text null',
      approved_at: 'text null',
    });
    await createIndex('waivers', ['release', 'environment']);

    await createTable('checklist_confirmations', {
      id: 'text unique',
      release: 'text',
      environment: 'text',
      checklist: 'text',
      item: 'text',
      actor: 'text',
      role: 'text',
      confirmed_at: 'text',
    });
    await createIndex('checklist_confirmations', ['release', 'environment']);

    await createTable('blockers', {
      id: 'text unique',
      environment: 'text',
      reason: 'text',
      created_by: 'text',
      created_at: 'text',
      resolved_by: 'text null',
      resolved_at: 'text null',
      resolution: 'text null',
    });
    await createIndex('blockers', ['environment']);

    await createTable('deployments', {
      id: 'text unique',
      release: 'text',
      environment: 'text',
      status: 'text',
      requested_by: 'text',
      created_at: 'text',
      finished_at: 'text null',
      origin: 'text',
    });
    await createIndex('deployments', ['release']);
    await createIndex('deployments', ['environment']);

    await createTable(
      'audit_events',
      {
        seq: 'seq primary key',
        at: 'text',
        kind: 'text',
        subject: 'text',
        body: 'text',
        prev_hash: 'text',
        hash: 'text',
      },
      { ord: false },
    );
    await createIndex('audit_events', ['kind', 'seq']);
    await createIndex('audit_events', ['subject', 'seq']);

    await createTable('audit_checkpoints', {
      seq: 'seq',
      hash: 'text',
      at: 'text',
      key_id: 'text',
      signature: 'text',
    });
    await createIndex('audit_checkpoints', ['seq']);

    await createTable('audit_keys', {
      key_id: 'text unique',
      public_key: 'text',
      created_at: 'text',
    });
  },
};
