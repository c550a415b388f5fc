import type { RuleExample } from '../../src/core/migrations/lint/lint-rule.js';

/** One corpus case: SQL (one file or several), the release, and every finding expected. */
export interface CorpusCase {
  readonly name: string;
  readonly files: RuleExample;
  readonly release?: string;
  /** `rule@line`, or `rule@file:line` when the case has several files; in report order. */
  readonly expected: readonly string[];
}

/** The timeouts a wrapped file sets first; statements after it start on line 3. */
const T = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n";
/** The same for a file that declares -- eclusa:no-transaction (its SETs start on line 2). */
const N = "-- eclusa:no-transaction\nSET lock_timeout = '5s';\nSET statement_timeout = '30min';\n";

export const CORPUS: readonly CorpusCase[] = [
  // Idempotency
  {
    name: 'CREATE TABLE without IF NOT EXISTS',
    files: 'CREATE TABLE t (a int);',
    expected: ['non-idempotent-ddl@1'],
  },
  {
    name: 'CREATE TABLE IF NOT EXISTS',
    files: 'CREATE TABLE IF NOT EXISTS t (a int);',
    expected: [],
  },
  {
    name: 'CREATE TEMP TABLE needs no guard',
    files: 'CREATE TEMP TABLE scratch (a int);',
    expected: [],
  },
  {
    name: 'an unnamed index on a new table duplicates on a re-run',
    files: 'CREATE TABLE IF NOT EXISTS t (a int);\nCREATE INDEX ON t (a);',
    expected: ['non-idempotent-ddl@2'],
  },
  { name: 'CREATE SCHEMA', files: 'CREATE SCHEMA billing;', expected: ['non-idempotent-ddl@1'] },
  {
    name: 'CREATE SCHEMA IF NOT EXISTS',
    files: 'CREATE SCHEMA IF NOT EXISTS billing;',
    expected: [],
  },
  {
    name: 'CREATE EXTENSION',
    files: 'CREATE EXTENSION pgcrypto;',
    expected: ['non-idempotent-ddl@1'],
  },
  {
    name: 'CREATE SEQUENCE',
    files: 'CREATE SEQUENCE invoice_no;',
    expected: ['non-idempotent-ddl@1'],
  },
  { name: 'CREATE VIEW', files: 'CREATE VIEW v AS SELECT 1;', expected: ['non-idempotent-ddl@1'] },
  { name: 'CREATE OR REPLACE VIEW', files: 'CREATE OR REPLACE VIEW v AS SELECT 1;', expected: [] },
  {
    name: 'CREATE FUNCTION',
    files: "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'select 1';",
    expected: ['non-idempotent-ddl@1'],
  },
  {
    name: 'CREATE OR REPLACE FUNCTION',
    files: "CREATE OR REPLACE FUNCTION one() RETURNS int LANGUAGE sql AS 'select 1';",
    expected: [],
  },
  {
    name: 'CREATE TYPE has no guard to ask for',
    files: "CREATE TYPE mood AS ENUM ('ok');",
    expected: [],
  },
  { name: 'DROP VIEW', files: 'DROP VIEW v;', expected: ['non-idempotent-ddl@1'] },
  { name: 'DROP VIEW IF EXISTS', files: 'DROP VIEW IF EXISTS v;', expected: [] },

  // Destructive changes and expand/contract
  { name: 'DROP TABLE', files: `${T}DROP TABLE IF EXISTS sessions;`, expected: ['drop-table@3'] },
  {
    name: 'DROP COLUMN',
    files: `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    expected: ['drop-column@3'],
  },
  {
    name: 'DROP SCHEMA CASCADE without IF EXISTS',
    files: 'DROP SCHEMA reporting CASCADE;',
    expected: ['non-idempotent-ddl@1', 'drop-schema@1'],
  },
  { name: 'TRUNCATE', files: `${T}TRUNCATE orders;`, expected: ['truncate-table@3'] },
  {
    name: 'a scratch table created, filled, truncated and dropped in one file',
    files:
      'CREATE TABLE IF NOT EXISTS scratch (a int);\nINSERT INTO scratch VALUES (1);\nTRUNCATE scratch;\nDROP TABLE IF EXISTS scratch;',
    expected: [],
  },
  {
    name: 'a down file drops the table its up created',
    files: {
      '001_invoices.up.sql': 'CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY);',
      '001_invoices.down.sql': `${T}DROP TABLE IF EXISTS invoices;`,
    },
    expected: [],
  },
  {
    name: 'a down file drops the column its up added',
    files: {
      '002_nick.up.sql': `${T}ALTER TABLE users ADD COLUMN IF NOT EXISTS nick text;`,
      '002_nick.down.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS nick;`,
    },
    expected: [],
  },
  {
    name: 'a down file drops what its up did not create',
    files: {
      '002_nick.up.sql': `${T}ALTER TABLE users ADD COLUMN IF NOT EXISTS nick text;`,
      '002_nick.down.sql': `${T}DROP TABLE IF EXISTS users;`,
    },
    expected: ['drop-table@002_nick.down.sql:3'],
  },
  {
    name: 'expand/contract: deprecated in 1.4.0, dropped in 1.5.0',
    files: {
      '001_email_v2.up.sql': `-- eclusa:deprecate column users.legacy_email since 1.4.0\n${T}ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;`,
      '002_drop_legacy_email.up.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    },
    release: '1.5.0',
    expected: [],
  },
  {
    name: 'expand/contract: the drop ships in the release that deprecated it',
    files: {
      '001_email_v2.up.sql': '-- eclusa:deprecate column users.legacy_email since 1.5.0\n',
      '002_drop_legacy_email.up.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    },
    release: '1.5.0',
    expected: ['drop-column@002_drop_legacy_email.up.sql:3'],
  },
  {
    name: 'expand/contract: no release given, so the deprecation cannot be judged',
    files: {
      '001_email_v2.up.sql': '-- eclusa:deprecate column users.legacy_email since 1.4.0\n',
      '002_drop_legacy_email.up.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    },
    expected: ['drop-column@002_drop_legacy_email.up.sql:3'],
  },
  {
    name: 'expand/contract: a deprecation in the same file does not count',
    files: `-- eclusa:deprecate column users.legacy_email since 1.4.0\n${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    release: '1.5.0',
    expected: ['drop-column@4'],
  },
  {
    name: 'expand/contract: another column was deprecated',
    files: {
      '001_a.up.sql': '-- eclusa:deprecate column users.phone since 1.4.0\n',
      '002_b.up.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
    },
    release: '1.5.0',
    expected: ['drop-column@002_b.up.sql:3'],
  },
  {
    name: 'expand/contract: a schema-qualified table deprecation',
    files: {
      '001_a.up.sql': '-- eclusa:deprecate table app.sessions since 2.0.0\n',
      '002_b.up.sql': `${T}DROP TABLE IF EXISTS app.sessions;`,
    },
    release: '2.1.0',
    expected: [],
  },

  // Renames
  {
    name: 'RENAME TABLE',
    files: `${T}ALTER TABLE customers RENAME TO clients;`,
    expected: ['rename-table@3'],
  },
  {
    name: 'RENAME TABLE with a view under the old name',
    files: `${T}ALTER TABLE customers RENAME TO clients;\nCREATE OR REPLACE VIEW customers AS SELECT * FROM clients;`,
    expected: [],
  },
  {
    name: 'RENAME COLUMN',
    files: `${T}ALTER TABLE users RENAME COLUMN mail TO email;`,
    expected: ['rename-column@3'],
  },
  {
    name: 'RENAME COLUMN of a table this file created',
    files: 'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t RENAME COLUMN a TO b;',
    expected: [],
  },

  // NOT NULL
  {
    name: 'ADD COLUMN NOT NULL without a default',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS currency text NOT NULL;`,
    expected: ['not-null-without-default@3'],
  },
  {
    name: 'ADD COLUMN NOT NULL with a constant default',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS currency text NOT NULL DEFAULT 'BRL';`,
    expected: [],
  },
  {
    name: 'ADD COLUMN NOT NULL DEFAULT NULL',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS n int NOT NULL DEFAULT NULL;`,
    expected: ['not-null-without-default@3'],
  },
  {
    name: 'ADD COLUMN bigserial fills itself, by rewriting the table',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS seq bigserial;`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'SET NOT NULL',
    files: `${T}ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;`,
    expected: ['set-not-null@3'],
  },
  {
    name: 'SET NOT NULL after a validated CHECK in earlier migrations',
    files: {
      '001_check.up.sql': `${T}ALTER TABLE orders ADD CONSTRAINT c_nn CHECK (customer_id IS NOT NULL) NOT VALID;`,
      '002_validate.up.sql': `${T}ALTER TABLE orders VALIDATE CONSTRAINT c_nn;`,
      '003_set.up.sql': `${T}ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;`,
    },
    expected: [],
  },
  {
    name: 'SET NOT NULL after a CHECK that was never validated',
    files: {
      '001_check.up.sql': `${T}ALTER TABLE orders ADD CONSTRAINT c_nn CHECK (customer_id IS NOT NULL) NOT VALID;`,
      '002_set.up.sql': `${T}ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;`,
    },
    expected: ['set-not-null@002_set.up.sql:3'],
  },

  // Indexes and CONCURRENTLY
  {
    name: 'CREATE INDEX on an existing table',
    files: `${T}CREATE INDEX IF NOT EXISTS orders_customer_idx ON orders (customer_id);`,
    expected: ['index-without-concurrently@3'],
  },
  {
    name: 'CREATE INDEX CONCURRENTLY in a no-transaction file',
    files: `${N}CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);`,
    expected: [],
  },
  {
    name: 'CREATE INDEX CONCURRENTLY in a wrapped file',
    files: `${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);`,
    expected: ['concurrently-in-transaction@3'],
  },
  {
    name: 'CREATE INDEX CONCURRENTLY inside an explicit BEGIN',
    files: `${N}BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (customer_id);\nCOMMIT;`,
    expected: ['concurrently-in-transaction@5'],
  },
  {
    name: 'no-transaction below another comment is not seen by the runner',
    files:
      "-- adds an index\n-- eclusa:no-transaction\nSET lock_timeout = '5s';\nSET statement_timeout = '30min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (customer_id);",
    expected: ['invalid-directive@2', 'concurrently-in-transaction@5'],
  },
  {
    name: 'DROP INDEX',
    files: `${T}DROP INDEX IF EXISTS orders_customer_idx;`,
    expected: ['index-without-concurrently@3'],
  },
  {
    name: 'DROP INDEX CONCURRENTLY',
    files: `${N}DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;`,
    expected: [],
  },
  {
    name: 'REINDEX',
    files: `${T}REINDEX INDEX orders_customer_idx;`,
    expected: ['index-without-concurrently@3'],
  },
  {
    name: 'an index on a table this file created',
    files:
      'CREATE TABLE IF NOT EXISTS t (a int);\nCREATE INDEX IF NOT EXISTS t_a ON t (a);\nDROP INDEX IF EXISTS t_a;',
    expected: [],
  },
  {
    name: 'VACUUM in a wrapped file',
    files: 'VACUUM orders;',
    expected: ['concurrently-in-transaction@1'],
  },

  // Constraints
  {
    name: 'FOREIGN KEY without NOT VALID',
    files: `${T}ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id);`,
    expected: ['constraint-without-not-valid@3'],
  },
  {
    name: 'FOREIGN KEY NOT VALID',
    files: `${T}ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;`,
    expected: [],
  },
  {
    name: 'CHECK without NOT VALID',
    files: `${T}ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);`,
    expected: ['constraint-without-not-valid@3'],
  },
  {
    name: 'VALIDATE in the transaction that added the constraint NOT VALID',
    files: `${T}ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;`,
    expected: ['constraint-without-not-valid@4'],
  },
  {
    name: 'NOT VALID then VALIDATE as two autocommitted statements',
    files: `${N}ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;`,
    expected: [],
  },
  {
    name: 'ADD UNIQUE builds an index under the lock',
    files: `${T}ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`,
    expected: ['constraint-builds-index@3'],
  },
  {
    name: 'ADD PRIMARY KEY USING INDEX adopts one',
    files: `${T}ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;`,
    expected: [],
  },
  {
    name: 'ADD COLUMN … UNIQUE',
    files: `${T}ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text UNIQUE;`,
    expected: ['constraint-builds-index@3'],
  },
  {
    name: 'ADD COLUMN … REFERENCES',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS coupon_id int REFERENCES coupons (id);`,
    expected: ['constraint-without-not-valid@3'],
  },
  {
    name: 'a new table referencing an existing one locks it',
    files: 'CREATE TABLE IF NOT EXISTS items (id int, order_id int REFERENCES orders (id));',
    expected: ['missing-lock-timeout@1', 'missing-statement-timeout@1'],
  },

  // Column types
  {
    name: 'int → bigint',
    files: `${T}ALTER TABLE events ALTER COLUMN id TYPE bigint;`,
    expected: ['column-type-rewrite@3'],
  },
  {
    name: 'varchar(50) → varchar(200), known from an earlier migration',
    files: {
      '001_users.up.sql': 'CREATE TABLE IF NOT EXISTS users (id bigint, name varchar(50));',
      '002_longer.up.sql': `${T}ALTER TABLE users ALTER COLUMN name TYPE varchar(200);`,
    },
    expected: [],
  },
  {
    name: 'varchar(50) → varchar(20), known from an earlier migration',
    files: {
      '001_users.up.sql': 'CREATE TABLE IF NOT EXISTS users (id bigint, name varchar(50));',
      '002_shorter.up.sql': `${T}ALTER TABLE users ALTER COLUMN name TYPE varchar(20);`,
    },
    expected: ['column-type-rewrite@002_shorter.up.sql:3'],
  },
  {
    name: 'a type change the linter cannot judge without the old type',
    files: `${T}ALTER TABLE users ALTER COLUMN name TYPE text;`,
    expected: ['column-type-unverified@3'],
  },
  {
    name: 'timestamp → timestamptz depends on the session TimeZone',
    files: {
      '001_events.up.sql': 'CREATE TABLE IF NOT EXISTS events (at timestamp);',
      '002_tz.up.sql': `${T}ALTER TABLE events ALTER COLUMN at TYPE timestamptz;`,
    },
    expected: ['column-type-unverified@002_tz.up.sql:3'],
  },

  // Defaults
  {
    name: 'ADD COLUMN DEFAULT now() is stable',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT now();`,
    expected: [],
  },
  {
    name: 'ADD COLUMN DEFAULT CURRENT_TIMESTAMP is stable',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS seen_at timestamptz DEFAULT CURRENT_TIMESTAMP;`,
    expected: [],
  },
  {
    name: 'ADD COLUMN DEFAULT random()',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS r float8 DEFAULT random();`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'ADD COLUMN DEFAULT clock_timestamp()',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS at timestamptz DEFAULT clock_timestamp();`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'ADD COLUMN DEFAULT gen_random_uuid() behind a cast',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS ref text DEFAULT gen_random_uuid()::text;`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'ADD COLUMN identity',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS n bigint GENERATED ALWAYS AS IDENTITY;`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'ADD COLUMN stored generated',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS twice int GENERATED ALWAYS AS (total * 2) STORED;`,
    expected: ['volatile-default@3'],
  },
  {
    name: 'ADD COLUMN virtual generated (PostgreSQL 18) stores nothing',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS twice int GENERATED ALWAYS AS (total * 2) VIRTUAL;`,
    expected: [],
  },
  {
    name: 'ADD COLUMN with a default from an unknown function',
    files: `${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text DEFAULT app.region();`,
    expected: ['default-volatility-unknown@3'],
  },
  {
    name: 'SET DEFAULT random() only affects new rows',
    files: `${T}ALTER TABLE orders ALTER COLUMN r SET DEFAULT random();`,
    expected: [],
  },
  {
    name: 'a volatile default on a table this file created',
    files:
      'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS id uuid DEFAULT gen_random_uuid();',
    expected: [],
  },

  // Timeouts
  {
    name: 'ALTER TABLE with no timeouts',
    files: 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;',
    expected: ['missing-lock-timeout@1', 'missing-statement-timeout@1'],
  },
  {
    name: 'SET LOCAL in a no-transaction file does nothing',
    files:
      "-- eclusa:no-transaction\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    expected: ['missing-lock-timeout@4', 'missing-statement-timeout@4'],
  },
  {
    name: 'lock_timeout = 0 waits forever',
    files:
      "SET LOCAL lock_timeout = 0;\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    expected: ['missing-lock-timeout@3'],
  },
  {
    name: 'RESET lock_timeout',
    files:
      "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nRESET lock_timeout;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    expected: ['missing-lock-timeout@4'],
  },
  {
    name: 'SET LOCAL ends with its explicit transaction',
    files:
      "-- eclusa:no-transaction\nBEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS b text;",
    expected: ['missing-lock-timeout@7', 'missing-statement-timeout@7'],
  },
  {
    name: 'plain SET in a wrapped file',
    files:
      "SET lock_timeout = '5s';\nSET statement_timeout = 30000;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    expected: [],
  },

  // Transactions
  {
    name: 'BEGIN without COMMIT in a no-transaction file',
    files: `${N}BEGIN;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;`,
    expected: ['unbalanced-transaction@4'],
  },
  {
    name: 'COMMIT without BEGIN',
    files: `${N}ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;`,
    expected: ['unbalanced-transaction@5'],
  },
  {
    name: 'BEGIN inside BEGIN',
    files: `${N}BEGIN;\nBEGIN;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;`,
    expected: ['unbalanced-transaction@5'],
  },
  {
    name: 'BEGIN/COMMIT in a wrapped file',
    files: `BEGIN;\n${T}ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;`,
    expected: ['transaction-in-wrapped-file@1', 'transaction-in-wrapped-file@5'],
  },
  {
    name: 'a SAVEPOINT in a wrapped file',
    files: `${T}SAVEPOINT before_note;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nRELEASE SAVEPOINT before_note;`,
    expected: [],
  },

  // Suppressions and directives
  {
    name: 'a suppression with a reason',
    files: `${T}-- eclusa:allow truncate-table reason: the cache is rebuilt on start\nTRUNCATE page_cache;`,
    expected: [],
  },
  {
    name: 'a suppression without a reason suppresses nothing',
    files: `${T}-- eclusa:allow truncate-table\nTRUNCATE page_cache;`,
    expected: ['suppression-without-reason@3', 'truncate-table@4'],
  },
  {
    name: 'a suppression of another rule',
    files: `${T}-- eclusa:allow drop-table reason: wrong rule\nTRUNCATE page_cache;`,
    expected: ['unused-suppression@3', 'truncate-table@4'],
  },
  {
    name: 'a suppression naming an unknown rule',
    files: `${T}-- eclusa:allow truncate reason: typo\nTRUNCATE page_cache;`,
    expected: ['invalid-directive@3', 'truncate-table@4'],
  },
  {
    name: 'a suppression covers only the next statement',
    files: `${T}-- eclusa:allow truncate-table reason: rebuilt on start\nTRUNCATE page_cache;\nTRUNCATE page_cache_2;`,
    expected: ['truncate-table@5'],
  },
  {
    name: 'a suppression with nothing after it',
    files: 'SELECT 1;\n-- eclusa:allow drop-table reason: nothing below',
    expected: ['invalid-directive@2'],
  },
  {
    name: 'a deprecation in a down file',
    files: {
      '003_x.up.sql': 'SELECT 1;',
      '003_x.down.sql': '-- eclusa:deprecate column users.nick since 1.0.0\nSELECT 1;',
    },
    expected: ['invalid-directive@003_x.down.sql:1'],
  },
  {
    name: 'a file PostgreSQL cannot parse',
    files: 'CREATE TABLE IF NOT EXISTS a (id int);\n\nALTER TABEL a ADD COLUMN b int;',
    expected: ['parse-error@3'],
  },
  {
    name: 'plain .sql files run in name order like up files',
    files: {
      'V2__drop.sql': `${T}DROP TABLE IF EXISTS scratch;`,
      'V1__create.sql': 'CREATE TABLE IF NOT EXISTS scratch (a int);',
    },
    expected: ['drop-table@V2__drop.sql:3'],
  },
];
