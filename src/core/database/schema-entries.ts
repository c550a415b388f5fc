/**
 * One object of a `pg_dump --schema-only` script. pg_dump precedes every object with a
 * header comment — `-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -`
 * — which names it exactly, so the script splits into objects without guessing from SQL.
 */
export interface SchemaEntry {
  /** `CONSTRAINT`, `TABLE`, `FK CONSTRAINT`, `DEFAULT`, `COMMENT` … as pg_dump names them. */
  readonly type: string;
  /** `public`, or `-` for objects outside a schema (schemas, extensions). */
  readonly schema: string;
  /** `users`, `users users_pkey` (table and constraint), `touch()`, `TABLE users` (a comment) … */
  readonly name: string;
  /** The object's statements, normalised: no comments, SET lines, owners or grants. */
  readonly sql: string;
  /** Stable key: type, schema and name. */
  readonly key: string;
}

const HEADER = /^-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*$/;
/** Session settings and psql meta-commands (\restrict) are not schema. */
const NOISE = /^(?:SET |SELECT pg_catalog\.set_config\(|\\)/;
const OWNERSHIP = /^(?:ALTER [A-Z ]+ .* OWNER TO |GRANT |REVOKE |ALTER DEFAULT PRIVILEGES )/;

/** The migration ledger is eclusa's bookkeeping, not the application's schema. */
const LEDGER = 'eclusa_migrations';

function isLedger(entry: { name: string; type: string }): boolean {
  const [first, second] = entry.name.split(' ');
  return (
    first === LEDGER ||
    (entry.type === 'COMMENT' && second === LEDGER) ||
    (second !== undefined && second.startsWith(`${LEDGER}.`))
  );
}

/**
 * The objects of a schema-only dump in dump order (pg_dump sorts by dependency), with
 * comments, SET lines, psql meta-commands, ownership, privileges and the ledger table
 * removed. Lines inside an object are kept as they are, so function bodies stay intact.
 */
export function parseSchemaDump(text: string): SchemaEntry[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const entries: SchemaEntry[] = [];
  let current: { type: string; schema: string; name: string; lines: string[] } | undefined;
  const finish = (): void => {
    if (!current) return;
    const body = current.lines.filter((line) => !OWNERSHIP.test(line));
    // Settings and comments between objects attach to the object before them: trim them off.
    while (body.length > 0) {
      const last = (body.at(-1) ?? '').trim();
      if (last === '' || last.startsWith('--') || NOISE.test(last)) body.pop();
      else break;
    }
    while (body.length > 0 && (body[0] ?? '').trim() === '') body.shift();
    const sql = body.map((line) => line.trimEnd()).join('\n');
    if (sql !== '' && !isLedger(current)) {
      entries.push({
        type: current.type,
        schema: current.schema,
        name: current.name,
        sql,
        key: `${current.type}|${current.schema}|${current.name}`,
      });
    }
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = HEADER.exec(line);
    if (header && lines[i - 1] === '--' && lines[i + 1] === '--') {
      finish();
      current = {
        name: header[1] ?? '',
        type: header[2] ?? '',
        schema: header[3] ?? '',
        lines: [],
      };
      // The closing `--` of the header is not part of the object.
      i++;
      continue;
    }
    // The `--` opening the next header lands here too; finish() trims it off.
    current?.lines.push(line);
  }
  finish();
  return entries;
}

/** How an object is named in messages: `table public.users`, `constraint users_pkey on public.users`. */
export function describeEntry(entry: Pick<SchemaEntry, 'type' | 'schema' | 'name'>): string {
  const type = entry.type.toLowerCase();
  const schema = entry.schema === '-' ? '' : `${entry.schema}.`;
  const [first = '', ...rest] = entry.name.split(' ');
  if (type === 'comment') return `comment on ${first.toLowerCase()} ${schema}${rest.join(' ')}`;
  if (type === 'default') return `default of ${schema}${first}.${rest.join(' ')}`;
  if (rest.length > 0 && /constraint|trigger|policy|rule/.test(type))
    return `${type} ${rest.join(' ')} on ${schema}${first}`;
  return `${type} ${schema}${entry.name}`;
}
