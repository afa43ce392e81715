import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ShoeboxError } from '../errors.js';
import { runQuery, type QueryResult } from '../db/query.js';
import { sideTablePath } from '../db/copy.js';
import { MEDIA, TABLES, type TableDef } from '../db/schema.js';
import { quoteIdent, quoteLiteral } from '../db/sql.js';
import type { Config, SinkSpec } from './spec.js';

export interface ThenResult {
  name: string;
  result: QueryResult;
}

/**
 * Runs a pipeline's `then:` queries on the data it just wrote. A DuckDB sink is queried as it
 * is; a Parquet, CSV or JSON-lines output is queried through views over the files it wrote, so
 * the same named queries work whatever the sink.
 */
export async function runThen(sink: SinkSpec, names: string[], config: Config, params: Record<string, unknown>): Promise<ThenResult[]> {
  const out: ThenResult[] = [];
  for (const name of names) {
    const q = config.queries[name];
    const sql = q?.sql ?? name;
    const defaults = q ? Object.fromEntries(Object.entries(q.params).filter(([, d]) => d !== null)) : {};
    const result =
      sink.kind === 'duckdb'
        ? // (a database in memory is gone with the run: no table there to read)
          await runQuery(sink.path, sql, { ...defaults, ...params }, { mediaTable: sink.path === ':memory:' ? undefined : sink.table })
        : await runQuery(':memory:', `${viewsOver(sink)}\n${sql}`, { ...defaults, ...params });
    out.push({ name, result });
  }
  return out;
}

/** CREATE VIEW statements naming each table after the file the sink wrote for it. */
export function viewsOver(sink: SinkSpec): string {
  if (sink.kind === 'duckdb') throw new ShoeboxError('SHOEBOX_USAGE', 'a DuckDB sink needs no views');
  // CSV and JSON carry no types, and DuckDB's guesses differ from the table's (exif_taken_at's
  // text with its offset read as a TIMESTAMPTZ and moved to UTC; dates left as text, which
  // year() refuses): the views give each column the type it has in the database.
  const select = (path: string, partitioned: boolean, def: TableDef): string => {
    switch (sink.kind) {
      case 'parquet':
        return `SELECT * FROM ${
          partitioned ? `read_parquet(${quoteLiteral(join(path, '**', '*.parquet'))}, hive_partitioning = true)` : `read_parquet(${quoteLiteral(path)})`
        }`;
      case 'csv': {
        const source = partitioned ? join(path, '**', '*.csv') : path;
        const casts = def.columns.filter((c) => c.type !== 'VARCHAR').map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`);
        const read = `read_csv(${quoteLiteral(source)}, header = true, allow_quoted_nulls = false, all_varchar = true${partitioned ? ', hive_partitioning = true' : ''})`;
        return `SELECT * ${casts.length ? `REPLACE (${casts.join(', ')}) ` : ''}FROM ${read}`;
      }
      default: {
        // JSON lines are never partitioned (checkPartitioning)
        const columns = `{${def.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
        return `SELECT * FROM read_json(${quoteLiteral(path)}, format = 'newline_delimited', columns = ${columns})`;
      }
    }
  };
  const views = [`CREATE VIEW media AS ${select(sink.path, sink.partitionBy.length > 0, MEDIA)};`];
  for (const t of TABLES) {
    if (t.name === 'media' || t.name === 'runs' || t.name === 'dirs') continue;
    const file = sideTablePath(sink.path, t.name, sink.kind);
    // A side table with no rows is not written; an empty view with its columns keeps queries valid.
    const body = existsSync(file)
      ? select(file, false, t)
      : `SELECT ${t.columns.map((c) => `NULL::${c.type} AS ${quoteIdent(c.name)}`).join(', ')} WHERE false`;
    views.push(`CREATE VIEW ${quoteIdent(t.name)} AS ${body};`);
  }
  return views.join('\n');
}
