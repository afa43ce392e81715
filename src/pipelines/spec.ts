/**
 * The resolved shape of pipelines.yaml, after interpolation, defaults and `--set` overrides.
 * `config.ts` produces it (or a list of issues); `build.ts` turns a `PipelineSpec` into streams.
 */

export interface Concurrency {
  /** N: concurrent file reads / items in flight per stage. */
  io: number;
  /** M: worker processes (fingerprint pool, ExifTool processes). */
  cpu: number;
}

export interface BatchSpec {
  /** Rows per sink write. */
  size: number;
  /** The longest a row waits before it is written. */
  flushMs: number;
}

export interface WalkSpec {
  roots: string[];
  /** Follow symbolic links (off by default: loops, and links out of the library). */
  followSymlinks: boolean;
  /** Directory or file names to skip (exact names, e.g. '.git', '@eaDir'). */
  exclude: string[];
}

export type StageSpec =
  | { name: 'sidecar'; options: Record<string, never> }
  | { name: 'fingerprint'; options: { crc: boolean; mime: boolean } }
  | {
      name: 'exif';
      options: {
        tags: string[] | 'default' | 'all';
        geolocation: boolean;
        filesPerRequest: number;
        /** Read JPEGs' EXIF in the fingerprint pass when it is certain to equal ExifTool's. */
        native: boolean;
      };
    };

export type SinkKind = 'duckdb' | 'parquet' | 'csv' | 'jsonl';

export interface SinkSpec {
  kind: SinkKind;
  /** Database file (duckdb) or output file/folder (parquet, csv, jsonl). */
  path: string;
  table: string;
  /** Parquet: Hive-style partition columns, e.g. ['year']. */
  partitionBy: string[];
  /** Parquet: compression codec (zstd by default). */
  compression: string;
}

export interface PipelineSpec {
  name: string;
  description: string;
  source: { walk: WalkSpec };
  stages: StageSpec[];
  sink: SinkSpec;
  then: string[];
  concurrency: Concurrency;
  batch: BatchSpec;
}

export interface QuerySpec {
  name: string;
  description: string;
  sql: string;
  /** Parameter names used as $name in the SQL, with optional defaults. */
  params: Record<string, string | number | null>;
}

export interface Config {
  /** The file it came from, for messages. */
  file: string;
  pipelines: Record<string, PipelineSpec>;
  queries: Record<string, QuerySpec>;
}

/** A configuration problem, with where it is. Formatted as FILE:LINE:COL path: message. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted key path, e.g. pipelines.takeout.sink. */
  path: string;
  message: string;
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.file}:${i.line}:${i.col} ${i.path ? i.path + ': ' : ''}${i.message}`;
}
