import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDb, shoebox, tempDir, type Row } from './helpers.js';

/**
 * Every file of ../shared/corpus (103 real camera files) against its MANIFEST.tsv row. The corpus
 * is read in place and never copied; a fresh clone without ../shared skips this file.
 */
const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const present = existsSync(join(CORPUS, 'MANIFEST.tsv'));
if (!present) console.warn(`corpus tests skipped: ${CORPUS} is absent (it ships beside the project, not in it)`);


interface Entry {
  file: string;
  bytes: number;
  expected_mime: string;
  DateTimeOriginal: string;
  gps: string;
  date_tag: string;
  file_type_npm: string;
  crc32: string;
}

function manifest(): Entry[] {
  const [head, ...lines] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const cols = head!.split('\t');
  return lines.map((l) => {
    const v = l.split('\t');
    const get = (c: string) => v[cols.indexOf(c)] ?? '';
    return {
      file: get('file'),
      bytes: Number(get('bytes')),
      expected_mime: get('expected_mime'),
      DateTimeOriginal: get('DateTimeOriginal'),
      gps: get('GPSLatitude,GPSLongitude'),
      date_tag: get('date_tag'),
      file_type_npm: get('file_type_npm'),
      crc32: get('crc32'),
    };
  });
}

describe.skipIf(!present)('the real corpus (../shared/corpus) against MANIFEST.tsv', () => {
  let cleanup: () => Promise<void>;
  let media: Map<string, Row>;
  let errors: Row[];
  let entries: Entry[];

  beforeAll(async () => {
    const t = await tempDir('shoebox-corpus-');
    cleanup = t.cleanup;
    const db = join(t.dir, 'corpus.duckdb');
    await shoebox('run', 'takeout', '--root', CORPUS, '--db', db, '--no-progress', '--json');
    media = new Map((await readDb(db, 'SELECT * FROM media')).map((r) => [String(r.path), r]));
    errors = await readDb(db, 'SELECT * FROM errors');
    entries = manifest();
  }, 180_000);
  afterAll(() => cleanup?.());

  it('has one row per corpus file, with size and CRC-32 as in the manifest', () => {
    // Every file gets a row; the corpus's own two text files are rows of kind 'other'.
    expect(media.size).toBe(entries.length + 2);
    expect([media.get('MANIFEST.tsv')?.kind, media.get('README.md')?.kind]).toEqual(['other', 'other']);
    for (const e of entries) {
      const row = media.get(e.file);
      expect(row, e.file).toBeDefined();
      expect(Number(row!.size), e.file).toBe(e.bytes);
      expect(Number(row!.crc32).toString(16).padStart(8, '0'), e.file).toBe(e.crc32);
    }
  });

  it('sniffs the MIME type from content as file-type does (NULL where it cannot tell)', () => {
    for (const e of entries) {
      const expected = e.file_type_npm === 'undefined' ? null : e.file_type_npm;
      expect(media.get(e.file)!.mime ?? null, e.file).toBe(expected);
    }
  });

  it('reads the capture date ExifTool reads', () => {
    for (const e of entries.filter((x) => x.DateTimeOriginal)) {
      const row = media.get(e.file)!;
      const want = e.DateTimeOriginal.replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T').slice(0, 19);
      const got = String(row.exif_taken_at ?? '');
      if (row.exif_date_tag === e.date_tag || (e.date_tag === 'DateTimeOriginal' && row.exif_date_tag === 'DateTimeOriginal')) {
        expect(got.slice(0, 19), e.file).toBe(want);
      } else {
        // QuickTime: Apple's CreationDate (local time with offset) is preferred over CreateDate (UTC).
        expect(row.exif_date_tag, e.file).toBe('CreationDate');
        const diff = Math.abs(new Date(got).getTime() - new Date(want + 'Z').getTime());
        expect(diff, e.file).toBeLessThan(60_000);
      }
    }
  });

  it('reads GPS positions as signed decimal degrees', () => {
    for (const e of entries) {
      const row = media.get(e.file)!;
      if (!e.gps) continue;
      const [lat, lon] = e.gps.split(',').map(Number) as [number, number];
      if (lat === 0 && lon === 0) continue;
      expect(Number(row.exif_lat), e.file).toBeCloseTo(lat, 5);
      expect(Number(row.exif_lon), e.file).toBeCloseTo(lon, 5);
    }
  });

  it('records the broken files in errors and keeps their rows', () => {
    const broken = entries.filter((e) => e.expected_mime.startsWith('error:') || e.expected_mime === 'text/plain').map((e) => e.file);
    expect(broken.sort()).toEqual(['not-an-image.jpg', 'photo.jpg', 'truncated_Canon EOS D60.jpg']);
    for (const f of broken) expect(errors.some((r) => r.path === f), f).toBe(true);
    const flagged = new Set(errors.map((r) => r.path));
    // No false alarms on the 100 good files.
    expect([...flagged].filter((p) => !broken.includes(String(p)))).toEqual([]);
  });
});
