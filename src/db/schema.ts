/**
 * The tables shoebox writes, one definition used by every sink (DuckDB, Parquet, CSV, JSONL), so
 * the columns and their types are the same everywhere. DESIGN.md holds the contract.
 */
export type ColumnType =
  | 'VARCHAR'
  | 'BIGINT'
  | 'INTEGER'
  | 'UINTEGER'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'TIMESTAMPTZ'
  | 'VARCHAR[]';

export interface Column {
  name: string;
  type: ColumnType;
  doc: string;
}

export interface TableDef {
  name: string;
  columns: Column[];
  /** Upsert key; rows with the same key replace each other. */
  key: string[];
}

const c = (name: string, type: ColumnType, doc: string): Column => ({ name, type, doc });

export const MEDIA: TableDef = {
  name: 'media',
  key: ['root', 'path'],
  columns: [
    c('root', 'VARCHAR', 'the root as given (or the export part it was found in)'),
    c('path', 'VARCHAR', "the file's path below its root, '/'-separated, as on disk"),
    c('dir', 'VARCHAR', 'the directory part of path'),
    c('name', 'VARCHAR', 'the file name'),
    c('ext', 'VARCHAR', 'the extension, lower case, without the dot'),
    c('size', 'BIGINT', 'bytes'),
    c('mtime', 'TIMESTAMPTZ', 'modification time'),
    c('crc32', 'UINTEGER', 'IEEE CRC-32 of the whole file'),
    c('mime', 'VARCHAR', 'detected from content (magic bytes); NULL when unknown'),
    c('kind', 'VARCHAR', 'photo, video or other'),
    c('folder', 'VARCHAR', 'year, album, trash, archive, locked or other'),
    c('album', 'VARCHAR', 'the album folder the file sits in'),
    c('sidecar', 'VARCHAR', "the matched sidecar's path below its root"),
    c('sidecar_root', 'VARCHAR', 'the root of the sidecar when it is not the media file root'),
    c('match_rule', 'VARCHAR', 'the naming rule that paired the sidecar'),
    c('title', 'VARCHAR', 'sidecar title (the original upload name)'),
    c('description', 'VARCHAR', 'sidecar description'),
    c('sidecar_taken_at', 'TIMESTAMPTZ', 'sidecar photoTakenTime (UTC instant)'),
    c('sidecar_created_at', 'TIMESTAMPTZ', 'sidecar creationTime (upload time)'),
    c('exif_taken_at', 'VARCHAR', 'EXIF DateTimeOriginal, else CreateDate, ISO 8601 with offset when known'),
    c('exif_date_tag', 'VARCHAR', 'the tag exif_taken_at came from'),
    c('taken_at', 'TIMESTAMPTZ', 'the best capture time'),
    c('taken_at_source', 'VARCHAR', 'exif, sidecar, exif-local or NULL'),
    c('lat', 'DOUBLE', 'sidecar geoData latitude; NULL when 0,0'),
    c('lon', 'DOUBLE', 'sidecar geoData longitude'),
    c('alt', 'DOUBLE', 'sidecar geoData altitude'),
    c('geo_exif_lat', 'DOUBLE', 'sidecar geoDataExif latitude; NULL when 0,0'),
    c('geo_exif_lon', 'DOUBLE', 'sidecar geoDataExif longitude'),
    c('exif_lat', 'DOUBLE', "latitude from the file's GPS tags"),
    c('exif_lon', 'DOUBLE', "longitude from the file's GPS tags"),
    c('exif_alt', 'DOUBLE', "altitude from the file's GPS tags"),
    c('make', 'VARCHAR', 'camera make'),
    c('model', 'VARCHAR', 'camera model'),
    c('lens', 'VARCHAR', 'lens model'),
    c('width', 'INTEGER', 'pixels'),
    c('height', 'INTEGER', 'pixels'),
    c('orientation', 'INTEGER', 'EXIF orientation, 1-8'),
    c('duration', 'DOUBLE', 'seconds, for videos'),
    c('favorited', 'BOOLEAN', 'sidecar flag'),
    c('archived', 'BOOLEAN', 'sidecar flag'),
    c('trashed', 'BOOLEAN', 'sidecar flag'),
    c('people', 'VARCHAR[]', 'named people from the sidecar'),
    c('origin', 'VARCHAR', 'googlePhotosOrigin kind (mobileUpload, fromPartnerSharing, ...)'),
    c('device_type', 'VARCHAR', 'googlePhotosOrigin device type'),
    c('views', 'BIGINT', 'sidecar imageViews'),
    c('url', 'VARCHAR', 'sidecar url'),
    c('scanned_at', 'TIMESTAMPTZ', 'when this row was written'),
  ],
};

export const ERRORS: TableDef = {
  name: 'errors',
  key: ['root', 'path', 'stage'],
  columns: [
    c('root', 'VARCHAR', 'root of the file'),
    c('path', 'VARCHAR', 'path below the root'),
    c('stage', 'VARCHAR', 'the stage that failed: walk, sidecar, fingerprint, exif, ...'),
    c('message', 'VARCHAR', 'what went wrong'),
    c('at', 'TIMESTAMPTZ', 'when'),
  ],
};

export const SIDECARS: TableDef = {
  name: 'sidecars',
  key: ['root', 'path'],
  columns: [
    c('root', 'VARCHAR', 'root of the JSON file'),
    c('path', 'VARCHAR', 'path below the root'),
    c('kind', 'VARCHAR', 'media, album, other or invalid'),
    c('title', 'VARCHAR', 'its title field'),
    c('matched', 'BOOLEAN', 'whether a media file was paired with it'),
    c('media_root', 'VARCHAR', 'root of the first media file paired with it'),
    c('media_path', 'VARCHAR', 'path of the first media file paired with it'),
    c('match_rule', 'VARCHAR', 'the rule of that pairing'),
    c('matches', 'INTEGER', 'how many media files use it (live photos and edits share one)'),
    c('scanned_at', 'TIMESTAMPTZ', 'when this row was written'),
  ],
};

export const ALBUMS: TableDef = {
  name: 'albums',
  key: ['dir'],
  columns: [
    c('dir', 'VARCHAR', 'the album folder below the roots'),
    c('title', 'VARCHAR', 'album title from its metadata JSON (NULL when none)'),
    c('description', 'VARCHAR', 'album description'),
    c('access', 'VARCHAR', 'protected, shared or empty'),
    c('date', 'TIMESTAMPTZ', 'album date'),
    c('metadata', 'VARCHAR', 'path of its metadata JSON'),
    c('scanned_at', 'TIMESTAMPTZ', 'when this row was written'),
  ],
};

export const ALBUM_ITEMS: TableDef = {
  name: 'album_items',
  key: ['dir', 'root', 'path'],
  columns: [
    c('dir', 'VARCHAR', 'the album folder'),
    c('root', 'VARCHAR', 'root of the media file'),
    c('path', 'VARCHAR', 'path of the media file'),
    c('scanned_at', 'TIMESTAMPTZ', 'when this row was written'),
  ],
};

/**
 * One row per directory a run read completely: a rerun whose listing of that directory (names,
 * sizes, mtimes in every root) has the same signature skips it without reading a byte.
 */
export const DIRS: TableDef = {
  name: 'dirs',
  key: ['roots', 'dir'],
  columns: [
    c('roots', 'VARCHAR', 'the roots of the run, joined by newlines'),
    c('dir', 'VARCHAR', 'the directory below the roots'),
    c('signature', 'VARCHAR', 'SHA-1 of the listing: root, name, size and mtime of every file'),
    c('files', 'INTEGER', 'media files in it'),
    c('scanned_at', 'TIMESTAMPTZ', 'when it was last read'),
    c('reads', 'VARCHAR', "what the run that read it reads from a file: its stages and tag list (JSON)"),
  ],
};

export const RUNS: TableDef = {
  name: 'runs',
  key: ['run_id'],
  columns: [
    c('run_id', 'VARCHAR', 'unique id of the run'),
    c('pipeline', 'VARCHAR', 'pipeline name'),
    c('started_at', 'TIMESTAMPTZ', 'start'),
    c('finished_at', 'TIMESTAMPTZ', 'end'),
    c('status', 'VARCHAR', 'completed, interrupted or failed'),
    c('mode', 'VARCHAR', 'parallel or sequential'),
    c('roots', 'VARCHAR[]', 'roots scanned'),
    c('files', 'BIGINT', 'media files written'),
    c('skipped', 'BIGINT', 'unchanged files skipped'),
    c('removed', 'BIGINT', 'rows removed for files that are gone'),
    c('errors', 'BIGINT', 'error rows written'),
    c('sidecars', 'BIGINT', 'JSON files seen'),
    c('bytes', 'BIGINT', 'bytes read'),
    c('duration_ms', 'BIGINT', 'wall time'),
    c('root_paths', 'VARCHAR[]', 'the roots as absolute paths, links resolved, in the order of roots'),
  ],
};

export const TABLES: TableDef[] = [MEDIA, ERRORS, SIDECARS, ALBUMS, ALBUM_ITEMS, DIRS, RUNS];
