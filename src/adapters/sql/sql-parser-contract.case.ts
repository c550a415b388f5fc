import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedSql, SqlParser } from '../../core/migrations/sql-parser.js';
import type { StatementAction } from '../../core/migrations/sql-statement.js';

/**
 * The contract every SqlParser adapter passes: positions as 1-based lines and UTF-16
 * columns, comments kept, PostgreSQL's own syntax errors, and the statement model the
 * migration linter's rules read.
 */
export function describeSqlParserContract(name: string, create: () => Promise<SqlParser>): void {
  describe(`SqlParser contract: ${name}`, () => {
    let parser: SqlParser;
    beforeAll(async () => {
      parser = await create();
    });

    const parsed = (text: string): ParsedSql => {
      const result = parser.parse(text);
      if (!result.ok) throw new Error(`unexpected syntax error: ${result.message}`);
      return result;
    };
    const action = (text: string): StatementAction => {
      const first = parsed(text).statements[0];
      if (first === undefined) throw new Error('no statement');
      return first.action;
    };

    it('places statements on their first token, past comments and multi-byte text', () => {
      const result = parsed(
        "-- préface: çà\nSELECT 'ñ';\n\n  /* bloc */ SELECT 2;\nSELECT 3 -- no semicolon",
      );
      expect(result.statements.map((s) => [s.line, s.column])).toEqual([
        [2, 1],
        [4, 14],
        [5, 1],
      ]);
      const offsets = result.statements.map((s) => s.offset);
      expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    });

    it('keeps every comment with its style, text and position, in file order', () => {
      const result = parsed("-- eclusa:no-transaction\nSELECT '-- not a comment'; /* a\nb */");
      expect(result.comments).toEqual([
        expect.objectContaining({
          line: 1,
          column: 1,
          style: 'line',
          text: ' eclusa:no-transaction',
        }),
        expect.objectContaining({ line: 2, column: 28, style: 'block', text: ' a\nb ' }),
      ]);
      const [first, second] = result.comments;
      expect(first!.endOffset).toBeLessThanOrEqual(result.statements[0]!.offset);
      expect(second!.endOffset).toBeGreaterThan(result.statements[0]!.offset);
    });

    it('reads an empty or comment-only file as no statements', () => {
      expect(parsed('').statements).toEqual([]);
      expect(parsed('   \n').statements).toEqual([]);
      expect(parsed('-- only a note\n').statements).toEqual([]);
    });

    it("reports SQL the grammar rejects with PostgreSQL's message and line", () => {
      expect(parser.parse("SELECT 'é';\n\nALTER TABEL users ADD COLUMN x int;")).toEqual({
        ok: false,
        message: 'syntax error at or near "TABEL"',
        line: 3,
        column: 7,
      });
      const open = parser.parse('SELECT 1;\nSELECT * FROM\n\n');
      expect(open).toMatchObject({ ok: false, message: 'syntax error at end of input', line: 2 });
      expect(parser.parse("SELECT 'unterminated")).toMatchObject({ ok: false, line: 1 });
    });

    it('describes CREATE TABLE columns: types, NOT NULL, defaults, identity, inline constraints', () => {
      expect(
        action(
          `CREATE TABLE IF NOT EXISTS app.orders (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             code varchar(20) NOT NULL DEFAULT 'x',
             total numeric(12,2),
             tags text[],
             customer_id int REFERENCES customers (id),
             at timestamptz DEFAULT now(),
             CONSTRAINT total_positive CHECK (total > 0)
           )`,
        ),
      ).toEqual({
        kind: 'create-table',
        table: { schema: 'app', name: 'orders' },
        ifNotExists: true,
        temporary: false,
        asQuery: false,
        columns: [
          {
            name: 'id',
            type: { name: 'int8', array: false },
            notNull: true,
            identity: true,
            generatedStored: false,
            constraints: [{ kind: 'primary-key', notValid: false }],
          },
          {
            name: 'code',
            type: { name: 'varchar', modifiers: [20], array: false },
            notNull: true,
            default: { calls: [], isNull: false },
            identity: false,
            generatedStored: false,
            constraints: [],
          },
          {
            name: 'total',
            type: { name: 'numeric', modifiers: [12, 2], array: false },
            notNull: false,
            identity: false,
            generatedStored: false,
            constraints: [],
          },
          {
            name: 'tags',
            type: { name: 'text', array: true },
            notNull: false,
            identity: false,
            generatedStored: false,
            constraints: [],
          },
          {
            name: 'customer_id',
            type: { name: 'int4', array: false },
            notNull: false,
            identity: false,
            generatedStored: false,
            constraints: [
              { kind: 'foreign-key', notValid: false, references: { name: 'customers' } },
            ],
          },
          {
            name: 'at',
            type: { name: 'timestamptz', array: false },
            notNull: false,
            default: { calls: ['now'], isNull: false },
            identity: false,
            generatedStored: false,
            constraints: [],
          },
        ],
        constraints: [{ kind: 'check', name: 'total_positive', notValid: false }],
      });
    });

    it('describes ALTER TABLE subcommands', () => {
      expect(
        action(
          `ALTER TABLE IF EXISTS users
             ADD COLUMN IF NOT EXISTS id2 uuid DEFAULT gen_random_uuid(),
             ADD COLUMN note text DEFAULT NULL,
             ADD COLUMN total int GENERATED ALWAYS AS (a + b) STORED,
             DROP COLUMN IF EXISTS old CASCADE,
             ALTER COLUMN name TYPE varchar(200) USING name::varchar(200),
             ALTER COLUMN email SET NOT NULL,
             ALTER COLUMN email DROP NOT NULL,
             ALTER COLUMN created SET DEFAULT clock_timestamp(),
             ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID,
             ADD CONSTRAINT users_key UNIQUE USING INDEX users_key_idx,
             VALIDATE CONSTRAINT email_nn,
             DROP CONSTRAINT IF EXISTS gone,
             SET (fillfactor = 70)`,
        ),
      ).toEqual({
        kind: 'alter-table',
        table: { name: 'users' },
        ifExists: true,
        commands: [
          {
            kind: 'add-column',
            ifNotExists: true,
            column: expect.objectContaining({
              name: 'id2',
              default: { calls: ['gen_random_uuid'], isNull: false },
            }) as unknown,
          },
          {
            kind: 'add-column',
            ifNotExists: false,
            column: expect.objectContaining({
              name: 'note',
              default: { calls: [], isNull: true },
            }) as unknown,
          },
          {
            kind: 'add-column',
            ifNotExists: false,
            column: expect.objectContaining({ name: 'total', generatedStored: true }) as unknown,
          },
          { kind: 'drop-column', column: 'old', ifExists: true, cascade: true },
          {
            kind: 'alter-column-type',
            column: 'name',
            type: { name: 'varchar', modifiers: [200], array: false },
            using: true,
          },
          { kind: 'set-not-null', column: 'email' },
          { kind: 'drop-not-null', column: 'email' },
          {
            kind: 'set-default',
            column: 'created',
            default: { calls: ['clock_timestamp'], isNull: false },
          },
          {
            kind: 'add-constraint',
            constraint: { kind: 'check', name: 'email_nn', notValid: true, notNullColumn: 'email' },
          },
          {
            kind: 'add-constraint',
            constraint: {
              kind: 'unique',
              name: 'users_key',
              notValid: false,
              usingIndex: 'users_key_idx',
            },
          },
          { kind: 'validate-constraint', name: 'email_nn' },
          { kind: 'drop-constraint', name: 'gone', ifExists: true },
          { kind: 'other', subtype: 'AT_SetRelOptions' },
        ],
      });
    });

    it('describes indexes, drops, truncates and renames', () => {
      expect(action('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t (a)')).toEqual({
        kind: 'create-index',
        name: 'i',
        table: { schema: 's', name: 't' },
        unique: true,
        concurrently: true,
        ifNotExists: true,
      });
      expect(action('CREATE INDEX ON t (a)')).not.toHaveProperty('name');
      expect(action('DROP INDEX CONCURRENTLY IF EXISTS s.i')).toEqual({
        kind: 'drop',
        object: 'index',
        names: [{ schema: 's', name: 'i' }],
        ifExists: true,
        concurrently: true,
        cascade: false,
      });
      expect(action('DROP TABLE a, b.c CASCADE')).toMatchObject({
        object: 'table',
        names: [{ name: 'a' }, { schema: 'b', name: 'c' }],
        ifExists: false,
        cascade: true,
      });
      expect(action('DROP SCHEMA IF EXISTS reporting')).toMatchObject({
        object: 'schema',
        names: [{ name: 'reporting' }],
      });
      expect(action('TRUNCATE a, s.b')).toEqual({
        kind: 'truncate',
        tables: [{ name: 'a' }, { schema: 's', name: 'b' }],
      });
      expect(action('ALTER TABLE a RENAME TO b')).toEqual({
        kind: 'rename',
        object: 'table',
        target: { name: 'a' },
        from: 'a',
        to: 'b',
      });
      expect(action('ALTER TABLE s.a RENAME COLUMN x TO y')).toEqual({
        kind: 'rename',
        object: 'column',
        target: { schema: 's', name: 'a' },
        from: 'x',
        to: 'y',
      });
    });

    it('describes other CREATE statements, with whether they are guarded and guardable', () => {
      const create = (sql: string) =>
        action(sql) as Extract<StatementAction, { kind: 'create-object' }>;
      expect(create('CREATE SCHEMA IF NOT EXISTS s')).toMatchObject({
        object: 'schema',
        guarded: true,
      });
      expect(create('CREATE SEQUENCE q')).toMatchObject({ object: 'sequence', guarded: false });
      expect(create('CREATE EXTENSION IF NOT EXISTS pgcrypto')).toMatchObject({
        object: 'extension',
        guarded: true,
      });
      expect(create('CREATE OR REPLACE VIEW v AS SELECT 1')).toMatchObject({
        object: 'view',
        guarded: true,
      });
      expect(create('CREATE MATERIALIZED VIEW mv AS SELECT 1')).toMatchObject({
        object: 'materialized-view',
        guarded: false,
      });
      expect(create("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'")).toMatchObject({
        object: 'function',
        guarded: false,
        guardable: true,
      });
      expect(
        create('CREATE TRIGGER t BEFORE INSERT ON s.a FOR EACH ROW EXECUTE FUNCTION f()'),
      ).toMatchObject({ object: 'trigger', table: { schema: 's', name: 'a' }, guarded: false });
      expect(create("CREATE TYPE mood AS ENUM ('ok')")).toMatchObject({
        object: 'type',
        guardable: false,
      });
    });

    it('describes transactions, settings and statements that refuse a transaction', () => {
      const kinds = parsed(
        "BEGIN; START TRANSACTION; SAVEPOINT s; COMMIT; END; ROLLBACK;\nSET LOCAL lock_timeout TO '5s'; SET statement_timeout = 0; RESET lock_timeout; RESET ALL;\nVACUUM t; ANALYZE t; CREATE DATABASE d; REINDEX INDEX CONCURRENTLY i; REINDEX TABLE t; INSERT INTO t VALUES (1)",
      ).statements.map((s) => s.action);
      expect(kinds).toEqual([
        { kind: 'transaction', action: 'begin' },
        { kind: 'transaction', action: 'begin' },
        { kind: 'transaction', action: 'savepoint' },
        { kind: 'transaction', action: 'commit' },
        { kind: 'transaction', action: 'commit' },
        { kind: 'transaction', action: 'rollback' },
        { kind: 'set', name: 'lock_timeout', value: '5s', local: true },
        { kind: 'set', name: 'statement_timeout', value: '0', local: false },
        { kind: 'set', name: 'lock_timeout', local: false },
        { kind: 'set', name: 'all', local: false },
        { kind: 'no-transaction-command', command: 'VACUUM' },
        { kind: 'other', statementType: 'VacuumStmt' },
        { kind: 'no-transaction-command', command: 'CREATE DATABASE' },
        { kind: 'reindex', concurrently: true, target: 'i' },
        { kind: 'reindex', concurrently: false, target: 't' },
        { kind: 'other', statementType: 'InsertStmt' },
      ]);
    });

    it('keeps quoted identifiers as written and folds unquoted ones', () => {
      expect(action('ALTER TABLE "Users" DROP COLUMN "E-mail"')).toMatchObject({
        table: { name: 'Users' },
        commands: [{ kind: 'drop-column', column: 'E-mail' }],
      });
      expect(action('DROP TABLE Users')).toMatchObject({ names: [{ name: 'users' }] });
    });
  });
}
