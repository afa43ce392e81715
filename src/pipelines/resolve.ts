/**
 * Valid pipelines.yaml data -> `Config`: every default filled in, so nothing downstream has to know one.
 */
import os from 'node:os';
import type { Concurrency, Config, PipelineSpec, QuerySpec, SinkKind, SinkSpec, StageSpec } from './spec.js';

interface RawConcurrency {
  io?: number;
  cpu?: number | 'auto';
}
interface RawBatch {
  size?: number;
  flushMs?: number;
}
interface RawStageOptions {
  crc?: boolean;
  mime?: boolean;
  tags?: 'default' | 'all' | string[];
  geolocation?: boolean;
  filesPerRequest?: number;
  native?: boolean;
}
type RawStage = string | Record<string, RawStageOptions | null>;
interface RawSinkOptions {
  path: string;
  table?: string;
  partitionBy?: string | string[];
  compression?: string;
}
interface RawPipeline {
  description?: string;
  source: { walk: { roots: string[]; followSymlinks?: boolean; exclude?: string[] } };
  stages: RawStage[];
  sink: Partial<Record<SinkKind, RawSinkOptions>>;
  then?: string[];
  concurrency?: RawConcurrency;
  batch?: RawBatch;
}
type RawQuery = string | { description?: string; sql: string; params?: Record<string, string | number | null> | string[] };
/** The data as the schema shapes it: only what has passed validation may be typed as this. */
export interface RawConfig {
  defaults?: { concurrency?: RawConcurrency; batch?: RawBatch };
  pipelines?: Record<string, RawPipeline>;
  queries?: Record<string, RawQuery>;
}

/** What a file without `defaults:` gets (DESIGN.md). */
const BUILT_IN = { io: 16, cpu: 'auto' as const, size: 5000, flushMs: 1000 };

/** `cpus` is what `cpu: auto` means; default os.availableParallelism(). */
export function resolveConfig(file: string, raw: RawConfig, cpus?: number): Config {
  const d = raw.defaults ?? {};
  const pipelines: Record<string, PipelineSpec> = {};
  for (const [name, p] of Object.entries(raw.pipelines ?? {})) {
    const cpu = p.concurrency?.cpu ?? d.concurrency?.cpu ?? BUILT_IN.cpu;
    const concurrency: Concurrency = {
      io: p.concurrency?.io ?? d.concurrency?.io ?? BUILT_IN.io,
      cpu: cpu === 'auto' ? (cpus ?? os.availableParallelism()) : cpu,
    };
    pipelines[name] = {
      name,
      description: p.description ?? '',
      source: {
        walk: {
          roots: p.source.walk.roots,
          followSymlinks: p.source.walk.followSymlinks ?? false,
          exclude: p.source.walk.exclude ?? [],
        },
      },
      stages: p.stages.map(resolveStage),
      sink: resolveSink(p.sink),
      then: p.then ?? [],
      concurrency,
      batch: {
        size: p.batch?.size ?? d.batch?.size ?? BUILT_IN.size,
        flushMs: p.batch?.flushMs ?? d.batch?.flushMs ?? BUILT_IN.flushMs,
      },
    };
  }
  const queries: Record<string, QuerySpec> = {};
  for (const [name, q] of Object.entries(raw.queries ?? {})) {
    queries[name] =
      typeof q === 'string'
        ? { name, description: '', sql: q, params: {} }
        : {
            name,
            description: q.description ?? '',
            sql: q.sql,
            params: Array.isArray(q.params) ? Object.fromEntries(q.params.map((n) => [n, null])) : (q.params ?? {}),
          };
  }
  return { file, pipelines, queries };
}

function resolveStage(raw: RawStage): StageSpec {
  const [name, given] = typeof raw === 'string' ? [raw, null] : Object.entries(raw)[0]!;
  const o = given ?? {};
  switch (name) {
    case 'sidecar':
      return { name: 'sidecar', options: {} };
    case 'fingerprint':
      return { name: 'fingerprint', options: { crc: o.crc ?? true, mime: o.mime ?? true } };
    default:
      return {
        name: 'exif',
        options: {
          tags: o.tags ?? 'default',
          geolocation: o.geolocation ?? false,
          filesPerRequest: o.filesPerRequest ?? 50,
          native: o.native ?? true,
        },
      };
  }
}

function resolveSink(raw: Partial<Record<SinkKind, RawSinkOptions>>): SinkSpec {
  const [kind, o] = Object.entries(raw)[0] as [SinkKind, RawSinkOptions];
  const partitionBy = o.partitionBy === undefined ? [] : [o.partitionBy].flat();
  return { kind, path: o.path, table: o.table ?? 'media', partitionBy, compression: o.compression ?? 'zstd' };
}
