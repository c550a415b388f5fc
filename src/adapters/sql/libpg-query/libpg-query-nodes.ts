import type { Node, RangeVar } from 'libpg-query';
import type { QualifiedName } from '../../../core/migrations/sql-statement.js';

/*
 * libpg-query gives PostgreSQL's parse tree as JSON: every node is an object with one key,
 * its type (`{ "String": { "sval": "users" } }`), and fields equal to their default are left
 * out (`ival: {}` is 0). These helpers read it without casts at every call site.
 */

type KeysOf<T> = T extends unknown ? keyof T : never;
export type NodeType = KeysOf<Node>;
export type NodeOf<K extends NodeType> = Extract<Node, Record<K, unknown>>[K];

/** The node's content when it is of type `key`. */
export function nodeAs<K extends NodeType>(node: Node | undefined, key: K): NodeOf<K> | undefined {
  if (node === undefined || !(key in node)) return undefined;
  return (node as unknown as Record<K, NodeOf<K>>)[key];
}

/** The single key of a node: its PostgreSQL type name (`AlterTableStmt`, `SelectStmt` …). */
export function nodeType(node: Node | undefined): string {
  return node === undefined ? 'unknown' : (Object.keys(node)[0] ?? 'unknown');
}

/** The `sval`s of a list of String nodes: `schema.name` parts, a function name, a type name. */
export function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).flatMap((node) => {
    const value = nodeAs(node, 'String')?.sval;
    return value === undefined ? [] : [value];
  });
}

/** The last part is the name, the one before it the schema. */
export function qualified(parts: readonly string[]): QualifiedName {
  const name = parts.at(-1) ?? '';
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  return schema === undefined ? { name } : { schema, name };
}

export function rangeVarName(range: RangeVar | undefined): QualifiedName {
  const name = range?.relname ?? '';
  return range?.schemaname === undefined ? { name } : { schema: range.schemaname, name };
}

/** The text of a constant: `'5s'`, `5000`, `on`. */
export function constantText(node: Node | undefined): string | undefined {
  const constant = nodeAs(node, 'A_Const');
  if (constant !== undefined) {
    if (constant.sval !== undefined) return constant.sval.sval ?? '';
    if (constant.ival !== undefined) return String(constant.ival.ival ?? 0);
    if (constant.fval !== undefined) return constant.fval.fval ?? '0';
    if (constant.boolval !== undefined) return String(constant.boolval.boolval ?? false);
    return undefined;
  }
  return nodeAs(node, 'String')?.sval;
}

/** Every FuncCall name anywhere under a node, lower-cased last part. */
export function calledFunctions(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) calledFunctions(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'FuncCall') {
        const name = names((child as { funcname?: Node[] }).funcname).at(-1);
        if (name !== undefined) into.push(name.toLowerCase());
      }
      calledFunctions(child, into);
    }
  }
  return into;
}
