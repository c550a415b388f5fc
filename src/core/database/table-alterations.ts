/*
 * ALTER TABLE statements that turn one pg_dump CREATE TABLE into another, column by
 * column. pg_dump prints one column or table constraint per line, which is what this
 * reads; anything it cannot turn into an ALTER (column positions, generated or identity
 * columns, partitioning, storage options) is reported instead of guessed.
 */

interface TableShape {
  /** The table's name as pg_dump wrote it, already quoted where needed. */
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly item: string }[];
  readonly constraints: ReadonlyMap<string, string>;
  /** What follows the column list: `;`, `PARTITION BY …;`, `WITH (…);` */
  readonly tail: string;
}

export interface TableAlteration {
  readonly statements: readonly string[];
  /** What could not be expressed, one phrase each. */
  readonly inexpressible: readonly string[];
}

function firstToken(item: string): string {
  if (item.startsWith('"')) {
    const end = item.indexOf('"', 1);
    let close = end;
    // A doubled quote is part of the name.
    while (close >= 0 && item[close + 1] === '"') close = item.indexOf('"', close + 2);
    return item.slice(0, close + 1);
  }
  return item.split(' ')[0] ?? item;
}

/** The parts of a pg_dump `CREATE TABLE … ( … );`, or undefined for other shapes. */
export function parseTable(sql: string): TableShape | undefined {
  const lines = sql.split('\n');
  const head = /^CREATE TABLE (\S+) \($/.exec(lines[0] ?? '');
  const closing = lines.findIndex((line, i) => i > 0 && line.startsWith(')'));
  if (!head || closing < 0 || lines.slice(closing + 1).some((line) => line.startsWith('CREATE ')))
    return undefined;
  const columns: { name: string; item: string }[] = [];
  const constraints = new Map<string, string>();
  for (const raw of lines.slice(1, closing)) {
    const item = raw.trim().replace(/,$/, '');
    if (item === '') continue;
    if (item.startsWith('CONSTRAINT ')) constraints.set(firstToken(item.slice(11)), item);
    else columns.push({ name: firstToken(item), item });
  }
  return {
    name: head[1] ?? '',
    columns,
    constraints,
    tail: lines.slice(closing).join('\n').slice(1).trim(),
  };
}

interface ColumnShape {
  readonly type: string;
  readonly defaultExpr: string | undefined;
  readonly notNull: boolean;
  readonly special: boolean;
}

function parseColumn(item: string, name: string): ColumnShape {
  let rest = item.slice(name.length).trim();
  const notNull = / NOT NULL$/.test(rest);
  if (notNull) rest = rest.slice(0, -' NOT NULL'.length);
  const at = rest.indexOf(' DEFAULT ');
  return {
    type: at < 0 ? rest : rest.slice(0, at),
    defaultExpr: at < 0 ? undefined : rest.slice(at + ' DEFAULT '.length),
    notNull,
    special: / GENERATED /.test(` ${rest} `),
  };
}

/** The statements that make `expected`'s table into `live`'s. */
export function alterTable(expectedSql: string, liveSql: string): TableAlteration {
  const from = parseTable(expectedSql);
  const to = parseTable(liveSql);
  if (!from || !to)
    return { statements: [], inexpressible: ['its definition is not a plain column list'] };
  const table = to.name;
  const statements: string[] = [];
  const inexpressible: string[] = [];
  if (from.tail !== to.tail)
    inexpressible.push(`its options changed (${from.tail || ';'} → ${to.tail || ';'})`);

  const before = new Map(from.columns.map((column) => [column.name, column.item]));
  const after = new Map(to.columns.map((column) => [column.name, column.item]));
  for (const { name } of from.columns)
    if (!after.has(name)) statements.push(`ALTER TABLE ${table} DROP COLUMN ${name};`);
  // ADD COLUMN can only append: kept columns must keep their order and new ones come last.
  const kept = to.columns.filter((column) => before.has(column.name)).map((c) => c.name);
  const keptBefore = from.columns.filter((column) => after.has(column.name)).map((c) => c.name);
  const firstNew = to.columns.findIndex((column) => !before.has(column.name));
  if (
    kept.join(',') !== keptBefore.join(',') ||
    (firstNew >= 0 && to.columns.slice(firstNew).some((column) => before.has(column.name)))
  )
    inexpressible.push('its column positions (ALTER TABLE can only append columns)');
  for (const { name, item } of to.columns) {
    const old = before.get(name);
    if (old === undefined) {
      statements.push(`ALTER TABLE ${table} ADD COLUMN ${item};`);
      continue;
    }
    if (old === item) continue;
    const a = parseColumn(old, name);
    const b = parseColumn(item, name);
    if (a.special || b.special) {
      inexpressible.push(`column ${name} (generated column: ${old} → ${item})`);
      continue;
    }
    const alter = `ALTER TABLE ${table} ALTER COLUMN ${name}`;
    if (a.type !== b.type) statements.push(`${alter} TYPE ${b.type};`);
    if (a.defaultExpr !== b.defaultExpr)
      statements.push(
        b.defaultExpr === undefined
          ? `${alter} DROP DEFAULT;`
          : `${alter} SET DEFAULT ${b.defaultExpr};`,
      );
    if (a.notNull !== b.notNull)
      statements.push(`${alter} ${b.notNull ? 'SET' : 'DROP'} NOT NULL;`);
  }
  for (const [name, item] of from.constraints) {
    if (to.constraints.get(name) !== item)
      statements.push(`ALTER TABLE ${table} DROP CONSTRAINT ${name};`);
  }
  for (const [name, item] of to.constraints) {
    if (from.constraints.get(name) !== item) statements.push(`ALTER TABLE ${table} ADD ${item};`);
  }
  return { statements, inexpressible };
}
