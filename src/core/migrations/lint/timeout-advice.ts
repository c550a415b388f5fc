import type { StatementContext } from './lint-rule.js';

/** The right SET for where the statement runs: SET LOCAL only lives inside a transaction. */
export function setFor(context: StatementContext, name: string, value: string): string {
  const local = context.wrapped || context.openBeginLine !== undefined;
  return `${local ? 'SET LOCAL' : 'SET'} ${name} = '${value}'`;
}

/** Points at SET LOCAL statements that ran outside a transaction and so changed nothing. */
export function ineffectiveLocalSetNote(context: StatementContext): string {
  const lines = context.ineffectiveLocalSets;
  return lines.length === 0
    ? ''
    : ` (SET LOCAL at line ${lines.join(', ')} did nothing: it ran outside a transaction)`;
}
