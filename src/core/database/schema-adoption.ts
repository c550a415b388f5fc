import { describeEntry, type SchemaEntry } from './schema-entries.js';
import { alterTable } from './table-alterations.js';

/** A migration that turns the migrations' schema into the live one, and what it leaves out. */
export interface Adoption {
  readonly statements: readonly string[];
  /** Objects whose change has no statement here, each with why. */
  readonly inexpressible: readonly string[];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function qualified(entry: SchemaEntry, name: string): string {
  return entry.schema === '-' ? quote(name) : `${quote(entry.schema)}.${quote(name)}`;
}

/** `f(integer, text)` → `"public"."f"(integer, text)`. */
function routine(entry: SchemaEntry): string {
  const open = entry.name.indexOf('(');
  return open < 0
    ? qualified(entry, entry.name)
    : `${qualified(entry, entry.name.slice(0, open))}${entry.name.slice(open)}`;
}

const DROP_KIND: Readonly<Record<string, string>> = {
  TABLE: 'TABLE',
  VIEW: 'VIEW',
  'MATERIALIZED VIEW': 'MATERIALIZED VIEW',
  INDEX: 'INDEX',
  TYPE: 'TYPE',
  DOMAIN: 'DOMAIN',
  'FOREIGN TABLE': 'FOREIGN TABLE',
};

/** The statement that removes an object the migrations have and live does not, if there is one. */
function dropStatement(entry: SchemaEntry): string | undefined {
  const [first = '', ...rest] = entry.name.split(' ');
  const second = rest.join(' ');
  const kind = DROP_KIND[entry.type];
  if (kind) return `DROP ${kind} ${qualified(entry, entry.name)};`;
  switch (entry.type) {
    case 'SEQUENCE':
      // An identity column's sequence is the column's, not a statement of its own.
      return entry.sql.startsWith('CREATE SEQUENCE')
        ? `DROP SEQUENCE ${qualified(entry, entry.name)};`
        : undefined;
    case 'FUNCTION':
    case 'PROCEDURE':
    case 'AGGREGATE':
      return `DROP ${entry.type} ${routine(entry)};`;
    case 'CONSTRAINT':
    case 'FK CONSTRAINT':
    case 'CHECK CONSTRAINT':
      return `ALTER TABLE ${qualified(entry, first)} DROP CONSTRAINT ${quote(second)};`;
    case 'TRIGGER':
      return `DROP TRIGGER ${quote(second)} ON ${qualified(entry, first)};`;
    case 'POLICY':
      return `DROP POLICY ${quote(second)} ON ${qualified(entry, first)};`;
    case 'DEFAULT':
      return `ALTER TABLE ${qualified(entry, first)} ALTER COLUMN ${quote(second)} DROP DEFAULT;`;
    case 'SEQUENCE OWNED BY':
      return `ALTER SEQUENCE ${qualified(entry, entry.name)} OWNED BY NONE;`;
    case 'SCHEMA':
      return `DROP SCHEMA ${quote(entry.name)};`;
    case 'EXTENSION':
      return `DROP EXTENSION ${quote(entry.name)};`;
    case 'COMMENT': {
      // `COMMENT ON TABLE public.users IS '…';` → the same target, IS NULL.
      const target = /^COMMENT ON (.*) IS /s.exec(entry.sql)?.[1];
      return target === undefined ? undefined : `COMMENT ON ${target} IS NULL;`;
    }
    default:
      return undefined;
  }
}

/** Replacing a changed object: statements to remove the old one (run first) and to create the new one. */
function replacement(
  expected: SchemaEntry,
  live: SchemaEntry,
): { drop: string[]; create: string[] } | { inexpressible: string } {
  switch (live.type) {
    case 'TABLE': {
      const alteration = alterTable(expected.sql, live.sql);
      if (alteration.inexpressible.length > 0)
        return { inexpressible: alteration.inexpressible.join('; ') };
      return { drop: [], create: [...alteration.statements] };
    }
    case 'FUNCTION':
    case 'PROCEDURE':
      return {
        drop: [],
        create: [live.sql.replace(/^CREATE (FUNCTION|PROCEDURE) /, 'CREATE OR REPLACE $1 ')],
      };
    case 'DEFAULT':
    case 'COMMENT':
      // Both statements set the value, whatever it was.
      return { drop: [], create: [live.sql] };
    case 'INDEX':
    case 'VIEW':
    case 'MATERIALIZED VIEW':
    case 'CONSTRAINT':
    case 'FK CONSTRAINT':
    case 'CHECK CONSTRAINT':
    case 'TRIGGER':
    case 'POLICY': {
      const drop = dropStatement(expected);
      return drop === undefined
        ? { inexpressible: 'no statement removes the old definition' }
        : { drop: [drop], create: [live.sql] };
    }
    default:
      return { inexpressible: `a changed ${live.type.toLowerCase()} has no ALTER here` };
  }
}

/**
 * The statements of a migration that makes the schema the migrations produce (`expected`)
 * equal to the live one: removals first, newest-first by the dump's dependency order, then
 * creations and changes in live dump order. Pure.
 */
export function adoptionStatements(
  live: readonly SchemaEntry[],
  expected: readonly SchemaEntry[],
): Adoption {
  const liveByKey = new Map(live.map((entry) => [entry.key, entry]));
  const expectedByKey = new Map(expected.map((entry) => [entry.key, entry]));
  const drops: string[] = [];
  const creates: string[] = [];
  const inexpressible: string[] = [];

  for (const entry of [...expected].reverse()) {
    if (liveByKey.has(entry.key)) continue;
    const drop = dropStatement(entry);
    if (drop === undefined) inexpressible.push(`${describeEntry(entry)}: no statement removes it`);
    else drops.push(drop);
  }
  const replacementDrops: string[] = [];
  for (const entry of live) {
    const old = expectedByKey.get(entry.key);
    if (old === undefined) {
      creates.push(entry.sql);
      continue;
    }
    if (old.sql === entry.sql) continue;
    const change = replacement(old, entry);
    if ('inexpressible' in change)
      inexpressible.push(`${describeEntry(entry)}: ${change.inexpressible}`);
    else {
      replacementDrops.unshift(...change.drop);
      creates.push(...change.create);
    }
  }
  return { statements: [...replacementDrops, ...drops, ...creates], inexpressible };
}
