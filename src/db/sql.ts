/**
 * SQL text that cannot take bound parameters (identifiers, COPY targets, DDL), built in one place
 * so that quoting is done once and right.
 */
import type { TableDef } from './schema.js';

/** "name" with embedded quotes doubled: any table or column name is safe. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * 'text' with embedded quotes doubled. DuckDB's standard strings have no backslash escapes, so
 * that is the whole rule; a NUL cannot be represented and is refused.
 */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('a SQL string literal cannot hold a NUL character');
  return `'${text.replaceAll("'", "''")}'`;
}

export function columnList(table: TableDef): string {
  return table.columns.map((c) => quoteIdent(c.name)).join(', ');
}

/**
 * CREATE TABLE for a definition. Its key is not declared as a primary key: the writer keeps keys
 * unique (duckdb.ts), and an index would hold memory for every row.
 */
export function createTableSql(table: TableDef, opts: { name?: string; temp?: boolean; ifNotExists?: boolean } = {}): string {
  const cols = table.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  const create = opts.temp ? 'CREATE TEMP TABLE' : 'CREATE TABLE';
  const exists = opts.ifNotExists === false ? '' : ' IF NOT EXISTS';
  return `${create}${exists} ${quoteIdent(opts.name ?? table.name)} (${cols.join(', ')})`;
}
