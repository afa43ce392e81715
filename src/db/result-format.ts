/** What `formatResult` (query.ts) writes; apart so that the CLI checks --format without loading DuckDB. */
export type ResultFormat = 'table' | 'csv' | 'json' | 'jsonl' | 'markdown';

/** The formats, in the order help lists them. */
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'csv', 'json', 'jsonl', 'markdown'];
