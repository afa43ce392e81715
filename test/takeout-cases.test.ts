/**
 * The peers' sidecar test cases (`../shared/takeout/cases.tsv`, read in place), each rebuilt as a
 * real directory on disk, listed, parsed and matched the way the sidecar stage does it. Rows that
 * do not describe a Takeout export are listed below with the reason; every other row must pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchDirectory, type SidecarName } from '../src/takeout/match.js';
import { parseTakeoutJson } from '../src/takeout/sidecar-json.js';

const CASES = new URL('../../shared/takeout/cases.tsv', import.meta.url);

interface Row {
  line: number;
  media: string;
  expected: string;
  source: string;
  kind: string;
  condition: string;
  note: string;
}

/** Rows that are not Takeout naming at all, by media path: [rule, reason]. */
const NOT_APPLICABLE: Record<string, [string, string]> = {
  // gpth renames `.HEIC` holding JPEG bytes to `.HEIC.jpg` before it matches; Takeout never writes these.
  'IMG_2367.HEIC.jpg': ['gpth-renamed', "gpth's own extension fix, not a Takeout name (R6)"],
  'IMG_2367(1).HEIC.jpg': ['gpth-renamed', "gpth's own extension fix, not a Takeout name (R6)"],
  'Photo.HEIC.jpg': ['gpth-renamed', "gpth's own extension fix, not a Takeout name (R6)"],
  'Fin de año 2023.HEIC.jpg': ['gpth-renamed', "gpth's own extension fix, not a Takeout name (R6)"],
  'IMG_2367_trunca.HEIC.jpg': ['gpth-renamed', "gpth's own extension fix, not a Takeout name (R6)"],
  // NEO's tryhard partial suffixes on names short of the 51 limit: Google only cuts a suffix at
  // the limit, so matching these would pair `photo-ed.jpg` (a real title) with photo.jpg's JSON.
  ...Object.fromEntries(
    [
      'photo-edi.jpg', 'photo-ed.jpg', 'photo-edi.JPG', 'imagen-ed.png',
      'WhatsApp Image 2023-12-25 at 14.30.45-modifi.jpeg', 'Christmas dinner grandmother house tradition-modif.jpeg',
      'Noël en famille chez grand-mère décembre-mo.jpg', 'Geburtstag feier im garten mit der ganzen-be.JPG',
      'Compleanno festa in giardino con tutta la-modific.jpg', 'PXL_20240301_120000123.MP-Motion_Photo-bear.jpg',
      'Another very long descriptive photo name-modif.pn', 'Location_New_York_Central_Park_Picnic_2023-ed.jpg',
      'GPS_Tagged_Photo_Latitude_40.7829_Longitude-bear.png', 'BURST_TOP_SHOT_very_long_description_here-ed.jpg',
      'WhatsApp Image 2023-12-25 at 14.30.45 very long-ed.jpeg', 'IMG-20231225-WA0001-group-chat-family-ed.jpg',
      'SAMSUNG_CAMERA_PICTURES_very_long_filename-ed.jpg', 'PXL_20230615_143022123.PORTRAIT.Night_Sight-bear.dng',
      'Very_long_filename_with_special_chars_and_symbols-ed.jpg', 'Very_long_video_description_family_vacation-ed.mp4',
      'SLOW_MOTION_sunset_beach_waves_relaxing-bear.mov', 'Photos from 2023/测试图片_中文-ha edi.jpg',
      'Photos from 2023/photo1-ha edi.jpg', 'Photos from 2023/photo2-ha ed.jpg',
    ].map((m) => [m, ['synthetic-partial-suffix', 'clipped edited suffix on a name short of the 51 limit (R5, R11)']]),
  ),
  'verylongverylong.jpg': ['historic-toy', "gpth's first 2022 'drop 5 characters' rule at toy scale; Google clips at 46 (R3)"],
};

/** Rows where shoebox answers otherwise on purpose, by media path: [answer, reason]. */
const DIVERGES: Record<string, [string, string]> = {
  'Takeout/Google Photos/2022 - Germany/IMG_4573.MP4': [
    'Takeout/Google Photos/2022 - Germany/IMG_4573.HEIC.json',
    "NONE there means 'no JSON of its own'; the live-photo video shares the HEIC's JSON (R7)",
  ],
  'Photos from 2023/image(1).heic': [
    'NONE',
    "the row itself calls it questionable: counters must be equal on both sides (R4.3, R11)",
  ],
};

/** What a row's case implies beyond its own two files, when its columns do not say it. */
const CONTEXT: Record<string, { files?: string[]; titles?: Record<string, string> }> = {
  // The listing the row comes from holds the photo and its JSON next to the video.
  'Takeout/Google Photos/2022 - Germany/IMG_4573.MP4': {
    files: ['Takeout/Google Photos/2022 - Germany/IMG_4573.HEIC', 'Takeout/Google Photos/2022 - Germany/IMG_4573.HEIC.json'],
  },
  // immich-go issue #39: the notes abbreviate the titles with '...'.
  'Album/Backyard_ceremony_wedding_photography_xxxxxxx_m.jpg': {
    titles: { 'Backyard_ceremony_wedding_photography_xxxxxxx_.json': 'Backyard_ceremony_wedding_photography_xxxxxxx_magnoliastudios-371.jpg' },
  },
  'Album/Backyard_ceremony_wedding_photography_xxxxxxx_m(494).jpg': {
    titles: {
      'Backyard_ceremony_wedding_photography_xxxxxxx_(494).json':
        'Backyard_ceremony_wedding_photography_xxxxxxx_markham_magnoliastudios-19.jpg',
    },
  },
};

function readRows(): Row[] {
  const [, ...lines] = readFileSync(CASES, 'utf8').split('\n');
  return lines.flatMap((l, i) => {
    if (!l.trim()) return [];
    const [media = '', expected = '', source = '', kind = '', condition = '', , note = ''] = l.split('\t');
    return [{ line: i + 2, media, expected, source, kind, condition, note }];
  });
}

/** Every file the row's case implies, as relative path → JSON title (null for media files). */
function filesOf(row: Row): Map<string, string | null> {
  const dir = posix.dirname(row.media);
  const inDir = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const files = new Map<string, string | null>();
  if (!/media file does not exist/.test(row.condition)) files.set(row.media, null);
  if (row.expected !== 'NONE') files.set(row.expected, null);
  for (const m of row.condition.matchAll(/(\S+\.json) also present|only (\S+\.json) present|must NOT pair with (.+\.json)/g)) {
    files.set(inDir((m[1] ?? m[2] ?? m[3])!), null);
  }
  const unrelated = /(\d+) unrelated \.txt files/.exec(row.condition);
  for (let i = 0; i < Number(unrelated?.[1] ?? 0); i++) files.set(inDir(`unrelated_${i}.txt`), null);
  // A forgotten duplicate (R4.5) is the clipped-away edit of an original that sits beside it.
  if (/matchForgottenDuplicates/.test(row.condition) || (row.note === 'edited variant' && /\(1\)\.\w+$/.test(row.media))) {
    files.set(row.media.replace(/\(1\)(\.\w+)$/, '$1'), null);
  }
  const context = CONTEXT[row.media];
  for (const f of context?.files ?? []) files.set(f, null);
  // The JSON title, where the row states it.
  const title = /title(?: is)? '([^']+)'/.exec(row.note)?.[1] ?? /; title (\S+)$/.exec(row.note)?.[1];
  if (title && row.expected !== 'NONE') files.set(row.expected, title);
  for (const [name, t] of Object.entries(context?.titles ?? {})) files.set(inDir(name), t);
  return files;
}

async function build(root: string, files: Map<string, string | null>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [rel, title] of files) {
    const abs = join(root, ...rel.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    const json = { ...(title === null ? {} : { title }), photoTakenTime: { timestamp: '1500000000' } };
    await writeFile(abs, rel.endsWith('.json') ? JSON.stringify(json) : 'not really a photo');
  }
}

/** List one directory and match it, as the sidecar stage does. Returns the media's sidecar name. */
async function matchFor(root: string, media: string): Promise<string> {
  const dir = posix.dirname(media);
  const abs = dir === '.' ? root : join(root, ...dir.split('/'));
  const names = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const mediaNames = names.filter((n) => !/\.json$/i.test(n));
  const sidecars: SidecarName[] = [];
  for (const name of names.filter((n) => /\.json$/i.test(n))) {
    const parsed = parseTakeoutJson(await readFile(join(abs, name), 'utf8'));
    if (parsed.kind === 'media') sidecars.push({ name, title: parsed.fields.title });
  }
  const index = mediaNames.indexOf(posix.basename(media));
  const hit = matchDirectory(mediaNames, sidecars).find((m) => m.media === index);
  if (index < 0 || !hit) return 'NONE';
  return dir === '.' ? sidecars[hit.sidecar]!.name : `${dir}/${sidecars[hit.sidecar]!.name}`;
}

const present = existsSync(fileURLToPath(CASES));
const suite = present ? describe : describe.skip;
const rows = present ? readRows() : [];
const applicable = rows.filter((r) => !(r.media in NOT_APPLICABLE));

suite(present ? 'peer cases from ../shared/takeout/cases.tsv' : 'peer cases: ../shared/takeout/cases.tsv is absent, skipped', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'shoebox-cases-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('every row named in the exception tables exists', () => {
    for (const media of [...Object.keys(NOT_APPLICABLE), ...Object.keys(DIVERGES), ...Object.keys(CONTEXT)]) {
      expect(rows.some((r) => r.media === media), media).toBe(true);
    }
    const excluded = rows.length - applicable.length;
    console.log(`cases.tsv: ${rows.length} rows, ${applicable.length} applied, ${excluded} not applicable`);
  });

  it.each(applicable)('line $line: $media → $expected', async (row) => {
    const dir = join(root, `line-${row.line}`);
    await build(dir, filesOf(row));
    const expected = DIVERGES[row.media]?.[0] ?? row.expected;
    expect(await matchFor(dir, row.media)).toBe(expected);
  });
});
