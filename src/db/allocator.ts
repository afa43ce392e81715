/**
 * DuckDB's allocator, set before DuckDB loads: duckdb.ts imports this module first (staging.ts, the
 * other module that loads '@duckdb/node-api', is imported by duckdb.ts only).
 *
 * DuckDB allocates through its own copy of jemalloc, which keeps pages it freed ("dirty") for
 * reuse and hands them back to the system only as they decay. Over a scan DuckDB frees much
 * (each batch's staging tables, the Appenders' chunks, the upsert's intermediates), and those
 * pages stayed in the process: node grew from 1,000 to 10,000 files by ~20 MB more than with
 * `dirty_decay_ms:0`, which returns them at once (BENCHMARKS.md, tuning log). Shorter decays
 * (50–300 ms, with or without jemalloc's background thread) measured no better than the default.
 *
 * jemalloc reads the variable once, when DuckDB first allocates; a value the user set wins.
 */
export const DUCKDB_ALLOCATOR_ENV = 'DUCKDB_JE_MALLOC_CONF';
export const DUCKDB_ALLOCATOR_CONF = 'dirty_decay_ms:0,muzzy_decay_ms:0';

if (process.env[DUCKDB_ALLOCATOR_ENV] === undefined) process.env[DUCKDB_ALLOCATOR_ENV] = DUCKDB_ALLOCATOR_CONF;
