/**
 * What flows between the stages. The walk emits one `Directory` per relative directory (merged
 * across roots); the sidecar stage turns it into `MediaItem`s and `TableRow`s; later stages fill
 * in their part of each `MediaItem` and pass `TableRow`s through untouched.
 */

/** A file seen by the walk. `rootIndex` points into the run's list of roots. */
export interface WalkedFile {
  rootIndex: number;
  /** Name within its directory, as on disk (not normalised). */
  name: string;
  /** Absolute path, for reading. */
  abs: string;
  size: number;
  mtimeMs: number;
}

/** One relative directory, with its files from every root that has it. */
export interface Directory {
  type: 'dir';
  /** `/`-separated path below the roots; '' for the roots themselves. */
  rel: string;
  files: WalkedFile[];
}

export interface Problem {
  stage: string;
  message: string;
}

/** Fields read from a media sidecar (SIDECAR.md). Every field optional, as in the wild. */
export interface SidecarFields {
  title: string | null;
  description: string | null;
  takenAt: Date | null;
  createdAt: Date | null;
  modifiedAt: Date | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  exifLat: number | null;
  exifLon: number | null;
  exifAlt: number | null;
  people: string[];
  origin: string | null;
  deviceType: string | null;
  localFolder: string | null;
  appPackage: string | null;
  favorited: boolean;
  archived: boolean;
  trashed: boolean;
  views: number | null;
  url: string | null;
}

export interface MatchedSidecar {
  rootIndex: number;
  /** Path below its root. */
  path: string;
  rule: string;
  fields: SidecarFields;
}

export interface Fingerprint {
  crc32: number;
  mime: string | null;
}

/** What the exif stage read; dates keep ExifTool's text so the offset is not lost. */
export interface ExifFields {
  /** 'YYYY-MM-DDTHH:MM:SS[.sss]' wall-clock time as written in the file. */
  takenAtLocal: string | null;
  /** '+02:00' when the file records one (OffsetTimeOriginal, or a QuickTime UTC date). */
  offset: string | null;
  /** Which tag the date came from. */
  dateTag: string | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  duration: number | null;
  mime: string | null;
}

export interface MediaItem {
  type: 'media';
  rootIndex: number;
  root: string;
  /** `/`-separated path below the root, as on disk. */
  path: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** Folder classification: year, album, trash, archive, locked, other. */
  folder: string;
  /** The album this file sits in, when its folder is an album. */
  album: string | null;
  sidecar: MatchedSidecar | null;
  fingerprint: Fingerprint | null;
  exif: ExifFields | null;
  /** True when `exif` was read in-process from a JPEG (jpeg-exif.ts) rather than by ExifTool. */
  exifNative?: boolean;
  problems: Problem[];
}

export type SideTable = 'errors' | 'sidecars' | 'albums' | 'album_items' | 'dirs';

/** A row for a table other than `media`, carried through the stream to the sink. */
export interface TableRow {
  type: 'row';
  table: SideTable;
  row: Record<string, unknown>;
}

export type Item = Directory | MediaItem | TableRow;
