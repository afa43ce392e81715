/**
 * Everything `shoebox report` shows, read from a database in one read-only session. Counts are
 * always exact; the lists behind them (undated files, errors, ...) stop at a limit so that a
 * library of a million files still gives a report a browser opens, and say how many there are.
 * A table that does not exist (a database no run has written yet) reads as empty.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeDatabase, openDatabase } from '../db/duckdb.js';
import { mediaTablesIn, plainValue, tableNames } from '../db/query.js';
import { quoteIdent } from '../db/sql.js';
import { ShoeboxError } from '../errors.js';

/** Rows of a list, and how many there are in all (`rows` stops at the report's limit). */
export interface Listing<T> {
  rows: T[];
  total: number;
}

export interface KindCount {
  kind: string;
  files: number;
  bytes: number;
}

export interface MonthCount {
  /** `YYYY-MM`, of taken_at in UTC. */
  month: string;
  photos: number;
  videos: number;
  other: number;
  files: number;
  bytes: number;
}

export interface CameraCount {
  make: string | null;
  model: string | null;
  files: number;
  first: Date | null;
  last: Date | null;
}

/** Geotagged files on one spot (coordinates rounded to 0.01°, about a kilometre). */
export interface Place {
  lat: number;
  lon: number;
  files: number;
  first: Date | null;
  last: Date | null;
  /** One of the files, to name the place. */
  example: string;
}

export interface FileRef {
  root: string;
  path: string;
}

export interface DuplicateGroup {
  crc32: number;
  size: number;
  copies: number;
  wastedBytes: number;
  /** Sorted by root and path; at most PATHS_PER_GROUP of `copies`. */
  files: FileRef[];
}

export interface UndatedFile extends FileRef {
  kind: string;
  size: number;
  mtime: Date | null;
}

export interface UnmatchedSidecar extends FileRef {
  title: string | null;
}

export interface ErrorRow extends FileRef {
  stage: string;
  message: string;
  at: Date | null;
}

export interface LastRun {
  pipeline: string;
  status: string;
  mode: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  files: number;
  errors: number;
}

export interface ReportData {
  /** Distinct roots of the media and errors tables. */
  roots: string[];
  totals: {
    files: number;
    bytes: number;
    dated: number;
    withSidecar: number;
    firstTaken: Date | null;
    lastTaken: Date | null;
  };
  /** photo, video, other: always these three, then any other kind found, by files. */
  kinds: KindCount[];
  sidecars: { json: number; media: number; matched: number; unmatched: number };
  geo: { files: number; fromExif: number; fromSidecar: number };
  perMonth: MonthCount[];
  cameras: Listing<CameraCount>;
  places: Listing<Place>;
  duplicates: Listing<DuplicateGroup> & { files: number; wastedBytes: number };
  undated: Listing<UndatedFile>;
  unmatchedSidecars: Listing<UnmatchedSidecar>;
  errors: Listing<ErrorRow> & { byStage: Array<{ stage: string; count: number }> };
  runs: { count: number; last: LastRun | null };
}

export const LIMITS = {
  /** Rows of each list of files (undated, unmatched sidecars, errors). */
  list: 1000,
  duplicateGroups: 500,
  pathsPerGroup: 20,
  cameras: 100,
  places: 5000,
};

type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);

async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  return reader.getRows().map((r) => Object.fromEntries(names.map((n, i) => [n, plainValue(r[i] ?? null)])));
}

/** The best coordinates of a file: its GPS tags, else the sidecar's, and only a valid pair. */
const LAT = `CASE WHEN exif_lat IS NOT NULL AND exif_lon IS NOT NULL THEN exif_lat ELSE lat END`;
const LON = `CASE WHEN exif_lat IS NOT NULL AND exif_lon IS NOT NULL THEN exif_lon ELSE lon END`;
const GEO = `(${LAT}) BETWEEN -90 AND 90 AND (${LON}) BETWEEN -180 AND 180`;

/**
 * Reads the report's numbers from the database at `db`, read-only. `table`: the media table (a
 * sink's `table:` option may have named it other than `media`).
 */
export async function loadReportData(db: string, table = 'media'): Promise<ReportData> {
  const database = await openDatabase(db, { readOnly: true });
  try {
    return await read(database.connection, db, table);
  } catch (err) {
    if (err instanceof ShoeboxError) throw err;
    throw new ShoeboxError('SHOEBOX_QUERY_FAILED', `cannot read the report's data from ${db}: ${(err as Error).message}`, { cause: err });
  } finally {
    closeDatabase(database);
  }
}

async function read(conn: DuckDBConnection, db: string, given: string): Promise<ReportData> {
  const tables = new Set(await tableNames(conn));
  // DuckDB's names are case-insensitive: the spelling the database keeps
  const table = [...tables].find((t) => t.toLowerCase() === given.toLowerCase()) ?? given;
  if (!tables.has(table)) {
    // A database no run has written yet reads as empty; one whose media rows are in a table of
    // another name would read as empty too, silently: name the tables that look like it.
    const like = await mediaTablesIn(conn);
    if (table !== 'media' || like.length > 0) {
      const hint = like.length ? `; media rows are in ${like.join(', ')}: give --table ${like[0]}` : '';
      throw new ShoeboxError('SHOEBOX_USAGE', `no table ${table} in ${db} (tables: ${[...tables].sort().join(', ') || 'none'})${hint}`);
    }
  }
  const M = `main.${quoteIdent(table)}`;
  const q = async (table: string, sql: string): Promise<Row[]> => (tables.has(table) ? rows(conn, sql) : []);
  const one = async (table: string, sql: string): Promise<Row> => (await q(table, sql))[0] ?? {};

  const totals = await one(
    table,
    `SELECT count(*) AS files, coalesce(sum(size), 0)::BIGINT AS bytes, count(taken_at) AS dated,
            count(sidecar) AS with_sidecar, min(taken_at) AS first, max(taken_at) AS last FROM ${M}`,
  );
  const kindRows = await q(
    table,
    `SELECT coalesce(kind, 'other') AS kind, count(*) AS files, coalesce(sum(size), 0)::BIGINT AS bytes
     FROM ${M} GROUP BY 1 ORDER BY files DESC, kind`,
  );
  const kinds: KindCount[] = ['photo', 'video', 'other'].map((kind) => ({ kind, files: 0, bytes: 0 }));
  for (const r of kindRows) {
    let k = kinds.find((x) => x.kind === r.kind);
    if (!k) kinds.push((k = { kind: str(r.kind), files: 0, bytes: 0 }));
    k.files = num(r.files);
    k.bytes = num(r.bytes);
  }

  const sidecars = await one(
    'sidecars',
    `SELECT count(*) AS json, count(*) FILTER (WHERE kind = 'media') AS media,
            count(*) FILTER (WHERE kind = 'media' AND matched IS TRUE) AS matched,
            count(*) FILTER (WHERE kind = 'media' AND matched IS NOT TRUE) AS unmatched FROM sidecars`,
  );
  const geo = await one(
    table,
    `SELECT count(*) FILTER (WHERE ${GEO}) AS files,
            count(*) FILTER (WHERE ${GEO} AND exif_lat IS NOT NULL AND exif_lon IS NOT NULL) AS exif FROM ${M}`,
  );

  const perMonth = (
    await q(
      table,
      `SELECT strftime(taken_at, '%Y-%m') AS month, count(*) AS files,
              count(*) FILTER (WHERE kind = 'photo') AS photos, count(*) FILTER (WHERE kind = 'video') AS videos,
              coalesce(sum(size), 0)::BIGINT AS bytes
       FROM ${M} WHERE taken_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
    )
  ).map((r) => ({
    month: str(r.month),
    photos: num(r.photos),
    videos: num(r.videos),
    other: num(r.files) - num(r.photos) - num(r.videos),
    files: num(r.files),
    bytes: num(r.bytes),
  }));

  const cameraTotal = await one(table, `SELECT count(DISTINCT (make, model)) AS n FROM ${M} WHERE make IS NOT NULL OR model IS NOT NULL`);
  const cameras = (
    await q(
      table,
      `SELECT make, model, count(*) AS files, min(taken_at) AS first, max(taken_at) AS last
       FROM ${M} WHERE make IS NOT NULL OR model IS NOT NULL
       GROUP BY make, model ORDER BY files DESC, make, model LIMIT ${LIMITS.cameras}`,
    )
  ).map((r) => ({ make: strOrNull(r.make), model: strOrNull(r.model), files: num(r.files), first: date(r.first), last: date(r.last) }));

  const placeTotal = await one(table, `SELECT count(DISTINCT (round(${LAT}, 2), round(${LON}, 2))) AS n FROM ${M} WHERE ${GEO}`);
  const places = (
    await q(
      table,
      `SELECT round(${LAT}, 2) AS lat, round(${LON}, 2) AS lon, count(*) AS files,
              min(taken_at) AS first, max(taken_at) AS last, min(path) AS example
       FROM ${M} WHERE ${GEO} GROUP BY 1, 2 ORDER BY files DESC, lat, lon LIMIT ${LIMITS.places}`,
    )
  ).map((r) => ({ lat: num(r.lat), lon: num(r.lon), files: num(r.files), first: date(r.first), last: date(r.last), example: str(r.example) }));

  const dupGroups = `SELECT crc32, size, count(*) AS copies, (count(*) - 1) * size AS wasted,
                            list({'root': root, 'path': path} ORDER BY root, path) AS files
                     FROM ${M} WHERE crc32 IS NOT NULL GROUP BY crc32, size HAVING count(*) > 1`;
  const dupTotal = await one(
    table,
    `SELECT count(*) AS groups, coalesce(sum(copies), 0)::BIGINT AS files, coalesce(sum(wasted), 0)::BIGINT AS wasted FROM (${dupGroups})`,
  );
  const duplicates = (
    await q(
      table,
      `SELECT crc32, size, copies, wasted, files[1:${LIMITS.pathsPerGroup}] AS files
       FROM (${dupGroups}) ORDER BY wasted DESC, crc32, size LIMIT ${LIMITS.duplicateGroups}`,
    )
  ).map((r) => ({
    crc32: num(r.crc32),
    size: num(r.size),
    copies: num(r.copies),
    wastedBytes: num(r.wasted),
    files: (r.files as Row[]).map((f) => ({ root: str(f.root), path: str(f.path) })),
  }));

  const undated = (
    await q(
      table,
      `SELECT root, path, coalesce(kind, 'other') AS kind, size, mtime FROM ${M} WHERE taken_at IS NULL
       ORDER BY root, path LIMIT ${LIMITS.list}`,
    )
  ).map((r) => ({ root: str(r.root), path: str(r.path), kind: str(r.kind), size: num(r.size), mtime: date(r.mtime) }));

  const unmatched = (
    await q(
      'sidecars',
      `SELECT root, path, title FROM sidecars WHERE kind = 'media' AND matched IS NOT TRUE ORDER BY root, path LIMIT ${LIMITS.list}`,
    )
  ).map((r) => ({ root: str(r.root), path: str(r.path), title: strOrNull(r.title) }));

  const errorTotal = await one('errors', `SELECT count(*) AS n FROM errors`);
  const errors = (
    await q('errors', `SELECT root, path, stage, message, "at" FROM errors ORDER BY root, path, stage LIMIT ${LIMITS.list}`)
  ).map((r) => ({ root: str(r.root), path: str(r.path), stage: str(r.stage), message: str(r.message), at: date(r.at) }));
  const byStage = (await q('errors', `SELECT stage, count(*) AS n FROM errors GROUP BY stage ORDER BY n DESC, stage`)).map((r) => ({
    stage: str(r.stage),
    count: num(r.n),
  }));

  const runCount = await one('runs', `SELECT count(*) AS n FROM runs`);
  const last = await one(
    'runs',
    `SELECT pipeline, status, mode, started_at, finished_at, files, errors FROM runs ORDER BY started_at DESC NULLS LAST LIMIT 1`,
  );

  const roots = [
    ...(await q(table, `SELECT DISTINCT root FROM ${M}`)),
    ...(await q('errors', `SELECT DISTINCT root FROM errors`)),
  ].map((r) => str(r.root));

  return {
    roots: [...new Set(roots)].sort(),
    totals: {
      files: num(totals.files),
      bytes: num(totals.bytes),
      dated: num(totals.dated),
      withSidecar: num(totals.with_sidecar),
      firstTaken: date(totals.first),
      lastTaken: date(totals.last),
    },
    kinds,
    sidecars: { json: num(sidecars.json), media: num(sidecars.media), matched: num(sidecars.matched), unmatched: num(sidecars.unmatched) },
    geo: { files: num(geo.files), fromExif: num(geo.exif), fromSidecar: num(geo.files) - num(geo.exif) },
    perMonth,
    cameras: { rows: cameras, total: num(cameraTotal.n) },
    places: { rows: places, total: num(placeTotal.n) },
    duplicates: { rows: duplicates, total: num(dupTotal.groups), files: num(dupTotal.files), wastedBytes: num(dupTotal.wasted) },
    undated: { rows: undated, total: num(totals.files) - num(totals.dated) },
    unmatchedSidecars: { rows: unmatched, total: num(sidecars.unmatched) },
    errors: { rows: errors, total: num(errorTotal.n), byStage },
    runs: {
      count: num(runCount.n),
      last: last.pipeline === undefined
        ? null
        : {
            pipeline: str(last.pipeline),
            status: str(last.status),
            mode: str(last.mode),
            startedAt: date(last.started_at),
            finishedAt: date(last.finished_at),
            files: num(last.files),
            errors: num(last.errors),
          },
    },
  };
}
