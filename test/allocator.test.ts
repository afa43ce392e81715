import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { DUCKDB_ALLOCATOR_CONF, DUCKDB_ALLOCATOR_ENV } from '../src/db/allocator.js';

/** A node that opens a database through shoebox's DuckDB module and churns some memory. */
function openThroughShoebox(env: Record<string, string | undefined>): { stdout: string; stderr: string } {
  const module = new URL('../dist/db/duckdb.js', import.meta.url).href;
  const program = `
    const { openDatabase, closeDatabase } = await import(${JSON.stringify(module)});
    const db = await openDatabase(':memory:');
    await db.connection.run('CREATE TABLE t AS SELECT range AS n, range::VARCHAR AS s FROM range(200000)');
    closeDatabase(db);
    console.log(process.env.${DUCKDB_ALLOCATOR_ENV} ?? '(unset)');
  `;
  const full = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete full[k];
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', env: full });
  if (r.status !== 0) throw new Error(r.stderr);
  return { stdout: r.stdout.trim(), stderr: r.stderr };
}

describe("DuckDB's allocator options", () => {
  it('are set before DuckDB loads, and DuckDB reads them without complaint', () => {
    const r = openThroughShoebox({ [DUCKDB_ALLOCATOR_ENV]: undefined });
    expect(r.stdout).toBe(DUCKDB_ALLOCATOR_CONF);
    expect(r.stderr).not.toMatch(/jemalloc/);
  });

  it('go to the variable DuckDB reads: a bad option there gets jemalloc\'s own complaint', () => {
    // If a DuckDB update renamed the variable, this test would see no complaint and fail.
    const r = openThroughShoebox({ [DUCKDB_ALLOCATOR_ENV]: 'no_such_option:1' });
    expect(r.stdout).toBe('no_such_option:1');
    expect(r.stderr).toMatch(/<jemalloc>: Invalid conf pair: no_such_option:1/);
  });

  it("leave a value the user set alone", () => {
    expect(openThroughShoebox({ [DUCKDB_ALLOCATOR_ENV]: 'dirty_decay_ms:500' }).stdout).toBe('dirty_decay_ms:500');
  });
});
