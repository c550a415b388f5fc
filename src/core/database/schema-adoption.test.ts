import { describe, expect, it } from 'vitest';
import { adoptionStatements } from './schema-adoption.js';
import { diffSchemas } from './schema-diff.js';
import type { SchemaEntry } from './schema-entries.js';
import { alterTable } from './table-alterations.js';

const entry = (type: string, schema: string, name: string, sql: string): SchemaEntry => ({
  type,
  schema,
  name,
  sql,
  key: `${type}|${schema}|${name}`,
});

const table = (columns: string[], tail = ');') =>
  `CREATE TABLE public.users (\n${columns.map((c) => `    ${c}`).join(',\n')}\n${tail}`;

describe('alterTable', () => {
  it('turns column and constraint changes into ALTER TABLE statements', () => {
    const before = table([
      'id integer NOT NULL',
      'name text',
      'city text',
      "CONSTRAINT users_name_check CHECK ((name <> ''::text))",
    ]);
    const after = table([
      'id bigint NOT NULL',
      "name text DEFAULT 'x'::text NOT NULL",
      'email text',
      "CONSTRAINT users_email_check CHECK ((email ~~ '%@%'::text))",
    ]);
    expect(alterTable(before, after)).toEqual({
      statements: [
        'ALTER TABLE public.users DROP COLUMN city;',
        'ALTER TABLE public.users ALTER COLUMN id TYPE bigint;',
        "ALTER TABLE public.users ALTER COLUMN name SET DEFAULT 'x'::text;",
        'ALTER TABLE public.users ALTER COLUMN name SET NOT NULL;',
        'ALTER TABLE public.users ADD COLUMN email text;',
        'ALTER TABLE public.users DROP CONSTRAINT users_name_check;',
        "ALTER TABLE public.users ADD CONSTRAINT users_email_check CHECK ((email ~~ '%@%'::text));",
      ],
      inexpressible: [],
    });
  });

  it('says what it cannot express: positions, generated columns, table options', () => {
    expect(
      alterTable(table(['a int', 'b int', 'c int']), table(['a int', 'c int', 'b int']))
        .inexpressible,
    ).toEqual(['its column positions (ALTER TABLE can only append columns)']);
    expect(
      alterTable(
        table(['a int', 'b int GENERATED ALWAYS AS ((a * 2)) STORED']),
        table(['a int', 'b int GENERATED ALWAYS AS ((a * 3)) STORED']),
      ).inexpressible[0],
    ).toMatch(/^column b \(generated column/);
    expect(
      alterTable(table(['a int']), table(['a int'], ')\nPARTITION BY RANGE (a);')).inexpressible[0],
    ).toMatch(/^its options changed/);
    expect(
      alterTable('CREATE TABLE public.p PARTITION OF public.q FOR VALUES IN (1);', table(['a int']))
        .inexpressible,
    ).toEqual(['its definition is not a plain column list']);
  });

  it('keeps quoted column names intact', () => {
    expect(
      alterTable(table(['"Weird ""name""" text']), table(['"Weird ""name""" integer'])).statements,
    ).toEqual(['ALTER TABLE public.users ALTER COLUMN "Weird ""name""" TYPE integer;']);
  });
});

describe('adoptionStatements and diffSchemas', () => {
  const users = entry('TABLE', 'public', 'users', table(['id integer NOT NULL']));
  const index = entry(
    'INDEX',
    'public',
    'users_id_idx',
    'CREATE INDEX users_id_idx ON public.users USING btree (id);',
  );
  const fk = entry(
    'FK CONSTRAINT',
    'public',
    'orders orders_user_fkey',
    'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);',
  );
  const fn = entry(
    'FUNCTION',
    'public',
    'f(integer)',
    'CREATE FUNCTION public.f(integer) RETURNS integer\n    LANGUAGE sql\n    AS $$ select 1 $$;',
  );
  const comment = entry(
    'COMMENT',
    'public',
    'TABLE users',
    "COMMENT ON TABLE public.users IS 'people';",
  );

  it('creates what only live has, drops what only the migrations have (newest first), replaces what changed', () => {
    const expected = [users, fk, fn, comment];
    const live = [
      { ...users, sql: table(['id integer NOT NULL', 'email text']) },
      index,
      { ...fn, sql: fn.sql.replace('select 1', 'select 2') },
    ];
    expect(adoptionStatements(live, expected)).toEqual({
      statements: [
        'COMMENT ON TABLE public.users IS NULL;',
        'ALTER TABLE "public"."orders" DROP CONSTRAINT "orders_user_fkey";',
        'ALTER TABLE public.users ADD COLUMN email text;',
        'CREATE INDEX users_id_idx ON public.users USING btree (id);',
        'CREATE OR REPLACE FUNCTION public.f(integer) RETURNS integer\n    LANGUAGE sql\n    AS $$ select 2 $$;',
      ],
      inexpressible: [],
    });
    expect(diffSchemas(live, expected).map((d) => `${d.change} ${d.object}`)).toEqual([
      'missing comment on table public.users',
      'missing fk constraint orders_user_fkey on public.orders',
      'changed function public.f(integer)',
      'extra index public.users_id_idx',
      'changed table public.users',
    ]);
  });

  it('replaces a changed index by dropping the old one first', () => {
    const changed = { ...index, sql: index.sql.replace('(id)', '(id DESC)') };
    expect(adoptionStatements([changed], [index]).statements).toEqual([
      'DROP INDEX "public"."users_id_idx";',
      changed.sql,
    ]);
  });

  it('lists what it cannot express instead of guessing', () => {
    const seq = entry('SEQUENCE', 'public', 's', 'CREATE SEQUENCE public.s\n    START WITH 1;');
    const mystery = entry('CONVERSION', 'public', 'c', 'CREATE CONVERSION …;');
    expect(
      adoptionStatements([{ ...seq, sql: seq.sql.replace('1', '5') }], [seq, mystery])
        .inexpressible,
    ).toEqual([
      'conversion public.c: no statement removes it',
      'sequence public.s: a changed sequence has no ALTER here',
    ]);
  });
});
