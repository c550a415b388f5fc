import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEntry, parseSchemaDump } from './schema-entries.js';

// A real `pg_dump --schema-only --no-owner --no-privileges` of PostgreSQL 15 (with the ledger table added).
const DUMP = readFileSync(
  new URL('../../../test/fixtures/database/pg15-schema-dump.sql', import.meta.url),
  'utf8',
);

describe('parseSchemaDump', () => {
  const entries = parseSchemaDump(DUMP);

  it('names every object from pg_dump’s own headers, in dump order, without the ledger', () => {
    expect(entries.map(describeEntry)).toEqual([
      'schema app',
      'extension pgcrypto',
      'comment on extension pgcrypto',
      'type public.mood',
      'function public.touch()',
      'table app.t',
      'table public.orders',
      'view public.big_orders',
      'sequence public.free_seq',
      'sequence public.orders_id_seq',
      'table public.users',
      'comment on table public.users',
      'sequence public.users_id_seq',
      'sequence owned by public.users_id_seq',
      'default of public.users.id',
      'constraint orders_pkey on public.orders',
      'constraint users_email_key on public.users',
      'constraint users_pkey on public.users',
      'index public.orders_user_idx',
      'trigger orders_touch on public.orders',
      'fk constraint orders_user_id_fkey on public.orders',
    ]);
  });

  it('keeps statements whole and drops comments, SET lines and psql meta-commands', () => {
    const all = entries.map((e) => e.sql).join('\n');
    expect(all).not.toMatch(/^--|^SET |^\\\\|set_config|eclusa_migrations/m);
    expect(entries.find((e) => e.name === 'touch()')?.sql).toBe(
      'CREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$ begin new.total := coalesce(new.total, 0); return new; end $$;',
    );
    expect(entries.find((e) => e.type === 'TABLE' && e.name === 'users')?.sql).toMatch(
      /^CREATE TABLE public\.users \(\n {4}id integer NOT NULL,[\s\S]*\n\);$/,
    );
  });

  it('ignores ownership and grants, should a dump carry them', () => {
    const withOwners = DUMP.replace(
      'CREATE SCHEMA app;',
      'CREATE SCHEMA app;\n\nALTER SCHEMA app OWNER TO someone;\nGRANT USAGE ON SCHEMA app TO reader;',
    );
    expect(parseSchemaDump(withOwners)).toEqual(entries);
  });
});
