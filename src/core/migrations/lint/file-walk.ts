import type { MigrationRole } from '../migration-file.js';
import { objectKey } from '../qualified-name.js';
import type { SqlStatement } from '../sql-statement.js';
import { contractKey, type ContractIndex } from './contract-index.js';
import type { FileEndContext, StatementContext } from './lint-rule.js';
import type { SchemaCatalog } from './schema-catalog.js';

export interface FileWalkOptions {
  readonly file: string;
  readonly role: MigrationRole;
  readonly wrapped: boolean;
  readonly catalog: SchemaCatalog;
  readonly contracts: ContractIndex;
  readonly release: string | undefined;
  /** For a down file: `kind:key` of everything its up file created. */
  readonly pairedUpCreated: ReadonlySet<string>;
}

interface Timeouts {
  lock?: boolean;
  statement?: boolean;
}

const TIMEOUTS = { lock_timeout: 'lock', statement_timeout: 'statement' } as const;

/** `0`, `'0'`, `0ms`: PostgreSQL reads a zero timeout as "wait forever". */
function enables(value: string | undefined): boolean {
  return value !== undefined && !/^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(value);
}

/**
 * Walks one file's statements in order and keeps what the rules ask about: the open
 * transaction, the timeouts in effect, the tables this file created. Rules only read it.
 */
export class FileWalk {
  private beginLine: number | undefined;
  private readonly session: Timeouts = {};
  private local: Timeouts = {};
  private readonly ineffective: number[] = [];
  private readonly newTables = new Set<string>();
  private notValid = new Set<string>();

  constructor(private readonly options: FileWalkOptions) {}

  private get inTransaction(): boolean {
    return this.options.wrapped || this.beginLine !== undefined;
  }

  /** The context of the statement at `index` of `statements`. */
  context(statements: readonly SqlStatement[], index: number): StatementContext {
    const { options } = this;
    const wrapped = options.wrapped;
    const inExplicit = this.beginLine !== undefined;
    return {
      file: options.file,
      role: options.role,
      wrapped: options.wrapped,
      openBeginLine: this.beginLine,
      lockTimeout: this.local.lock ?? this.session.lock ?? false,
      statementTimeout: this.local.statement ?? this.session.statement ?? false,
      ineffectiveLocalSets: [...this.ineffective],
      catalog: options.catalog,
      release: options.release,
      isNewTable: (table) => this.newTables.has(objectKey(table)),
      addedNotValidInTransaction: (table, constraint) =>
        this.notValid.has(`${objectKey(table)}/${constraint}`),
      createdByPairedUp: (kind, parts) =>
        options.pairedUpCreated.has(`${kind}:${contractKey(kind, parts)}`),
      contract: (kind, parts) => options.contracts.verdict(kind, parts, options.release),
      sameTransactionAfter: () => {
        if (!wrapped && !inExplicit) return [];
        const after = statements.slice(index + 1);
        if (wrapped) return after;
        const end = after.findIndex(
          (s) =>
            s.action.kind === 'transaction' &&
            (s.action.action === 'commit' || s.action.action === 'rollback'),
        );
        return end < 0 ? after : after.slice(0, end);
      },
    };
  }

  endContext(): FileEndContext {
    return {
      file: this.options.file,
      wrapped: this.options.wrapped,
      openBeginLine: this.beginLine,
    };
  }

  /** Moves past a statement, after the rules have judged it. */
  apply(statement: SqlStatement): void {
    const action = statement.action;
    if (action.kind === 'transaction') {
      if (action.action === 'begin') this.beginLine ??= statement.line;
      if (action.action === 'commit' || action.action === 'rollback') this.endTransaction();
    } else if (action.kind === 'set' && action.name === 'all') {
      // RESET ALL: back to the server's defaults, which eclusa cannot see.
      this.session.lock = this.session.statement = false;
      this.local = {};
    } else if (action.kind === 'set' && action.name in TIMEOUTS) {
      const which = TIMEOUTS[action.name as keyof typeof TIMEOUTS];
      const on = enables(action.value);
      if (!action.local) {
        this.session[which] = on;
        if (this.local[which] !== undefined) this.local[which] = on;
      } else if (this.inTransaction) this.local[which] = on;
      else this.ineffective.push(statement.line);
    } else if (action.kind === 'create-table') {
      this.newTables.add(objectKey(action.table));
    } else if (action.kind === 'alter-table' && this.inTransaction) {
      for (const command of action.commands)
        if (
          command.kind === 'add-constraint' &&
          command.constraint.notValid &&
          command.constraint.name !== undefined
        )
          this.notValid.add(`${objectKey(action.table)}/${command.constraint.name}`);
    } else if (action.kind === 'drop' && action.object === 'table') {
      for (const name of action.names) this.newTables.delete(objectKey(name));
    }
    this.options.catalog.apply(statement);
  }

  private endTransaction(): void {
    this.beginLine = undefined;
    this.local = {};
    this.notValid = new Set();
  }
}
