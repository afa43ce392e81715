/**
 * `shoebox report`: renderReport on hand-made data (escaping, an empty library, the numbers), the
 * chart helpers, loadReportData on empty databases, and the real thing: the generated sample
 * scanned by bin/shoebox, written by writeReport and opened in headless Chromium, whose page must
 * load nothing but itself, log no error, and show the numbers an independent query finds.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, createTables, openDatabase } from '../src/db/duckdb.js';
import { ShoeboxError } from '../src/errors.js';
import { generateSample } from '../src/sample/generate.js';
import { esc, mainRegion, niceStep, stackedBars, worldMap } from '../src/report/charts.js';
import { loadReportData, type ReportData } from '../src/report/data.js';
import { cameraName, formatBytes, renderReport } from '../src/report/html.js';
import { writeReport } from '../src/report/index.js';
import { readDb, tempDir } from './helpers.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/shoebox', import.meta.url));
const SHOT = fileURLToPath(new URL('./.tmp/report.png', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; CI installs it)`);

const at = (s: string) => new Date(s);
const int = (n: number) => n.toLocaleString('en-US');

function emptyData(): ReportData {
  return {
    roots: [],
    totals: { files: 0, bytes: 0, dated: 0, withSidecar: 0, firstTaken: null, lastTaken: null },
    kinds: ['photo', 'video', 'other'].map((kind) => ({ kind, files: 0, bytes: 0 })),
    sidecars: { json: 0, media: 0, matched: 0, unmatched: 0 },
    geo: { files: 0, fromExif: 0, fromSidecar: 0 },
    perMonth: [],
    cameras: { rows: [], total: 0 },
    places: { rows: [], total: 0 },
    duplicates: { rows: [], total: 0, files: 0, wastedBytes: 0 },
    undated: { rows: [], total: 0 },
    unmatchedSidecars: { rows: [], total: 0 },
    errors: { rows: [], total: 0, byStage: [] },
    runs: { count: 0, last: null },
  };
}

const HOSTILE = `Trip "A" <b>&amp;</b>/Café d'été <script>alert(1)</script>\u0001.jpg`;
const ROOT = '/mnt/Tom & "Jerry" <export>';

/** A library with every section filled, and with names that HTML must not take for markup. */
function fullData(): ReportData {
  const d = emptyData();
  d.roots = [ROOT];
  d.totals = { files: 123_456, bytes: 5_000_000_000, dated: 123_446, withSidecar: 120_000, firstTaken: at('2003-02-01T10:00:00Z'), lastTaken: at('2024-12-31T23:59:00Z') };
  d.kinds = [
    { kind: 'photo', files: 120_000, bytes: 4_000_000_000 },
    { kind: 'video', files: 3_000, bytes: 990_000_000 },
    { kind: 'other', files: 456, bytes: 10_000_000 },
  ];
  d.sidecars = { json: 121_000, media: 120_007, matched: 120_000, unmatched: 7 };
  d.geo = { files: 5_000, fromExif: 4_000, fromSidecar: 1_000 };
  d.perMonth = [
    { month: '2003-02', photos: 10, videos: 0, other: 0, files: 10, bytes: 1e6 },
    { month: '2003-03', photos: 5, videos: 2, other: 1, files: 8, bytes: 1e6 },
    { month: '2010-07', photos: 123_428, videos: 0, other: 0, files: 123_428, bytes: 1e9 },
  ];
  d.cameras = { rows: [{ make: '<img src=x onerror=alert(1)>', model: 'X "1"', files: 42, first: at('2003-02-01T00:00:00Z'), last: null }], total: 1 };
  d.places = { rows: [{ lat: -33.92, lon: 18.42, files: 12, first: at('2024-03-15T12:30:22Z'), last: at('2024-03-15T12:30:22Z'), example: HOSTILE }], total: 1 };
  d.duplicates = {
    rows: [{ crc32: 0xdeadbeef, size: 39_060, copies: 3, wastedBytes: 78_120, files: [{ root: ROOT, path: HOSTILE }, { root: ROOT, path: 'b.jpg' }] }],
    total: 1,
    files: 3,
    wastedBytes: 78_120,
  };
  d.undated = { rows: [{ root: ROOT, path: HOSTILE, kind: 'photo', size: 10, mtime: null }], total: 10 };
  d.unmatchedSidecars = { rows: [{ root: ROOT, path: `${HOSTILE}.json`, title: `<i>"quoted"</i>` }], total: 7 };
  d.errors = { rows: [{ root: ROOT, path: HOSTILE, stage: 'exif', message: `bad tag </td></tr><script>x()</script>`, at: null }], total: 2, byStage: [{ stage: 'exif', count: 2 }] };
  d.runs = { count: 3, last: { pipeline: 'takeout', status: 'completed', mode: 'parallel', startedAt: at('2025-01-01T00:00:00Z'), finishedAt: at('2025-01-01T00:01:00Z'), files: 1, errors: 2 } };
  return d;
}

const OPTS = { generatedAt: at('2025-01-02T03:04:05Z'), db: '/home/me/photos & more.duckdb' };
const statValue = (html: string, key: string) => new RegExp(`data-stat="${key}"><div class="label">[^<]*</div><div class="value">([^<]*)</div>`).exec(html)?.[1];

describe('renderReport', () => {
  it('escapes every value from the database: no markup, no script, no broken attribute', () => {
    const html = renderReport(fullData(), OPTS);
    expect(html).not.toMatch(/<script|<img|<b>|<i>|onerror=alert\(1\)>/i);
    expect(html).toContain('Café d&#39;été &lt;script&gt;alert(1)&lt;/script&gt;\u2401.jpg');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; X &quot;1&quot;');
    expect(html).toContain('title="/mnt/Tom &amp; &quot;Jerry&quot; &lt;export&gt;/Trip &quot;A&quot;');
    expect(html).toContain('bad tag &lt;/td&gt;&lt;/tr&gt;&lt;script&gt;x()&lt;/script&gt;');
    expect(html).toContain('&amp;amp;'); // a literal "&amp;" in a name stays literal
    expect(html).toContain('<code>/home/me/photos &amp; more.duckdb</code>');
    // every tag the page has is one of ours
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)[\s>/]/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  });

  it('shows the numbers, formatted, and says when a list was cut', () => {
    const html = renderReport(fullData(), OPTS);
    expect(statValue(html, 'files')).toBe('123,456');
    expect(statValue(html, 'bytes')).toBe('5.0 GB');
    expect(statValue(html, 'photos')).toBe('120,000');
    expect(statValue(html, 'taken')).toBe('2003–2024');
    expect(statValue(html, 'with-sidecar')).toBe('120,000');
    expect(statValue(html, 'sidecars-unmatched')).toBe('7');
    expect(statValue(html, 'undated')).toBe('10');
    expect(statValue(html, 'duplicates')).toBe('1');
    expect(statValue(html, 'errors')).toBe('2');
    expect([...html.matchAll(/<g class="bar" data-key="([^"]+)" data-total="(\d+)"/g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ['2003-02', 10],
      ['2003-03', 8],
      ['2010-07', 123_428],
    ]);
    // one place: on the world map, and on the close-up around it
    expect(html.match(/<svg class="map world"[^]*?<\/svg>/)?.[0].match(/<circle class="place"/g)).toHaveLength(1);
    expect(html.match(/<svg class="map zoom"[^]*?<\/svg>/)?.[0].match(/<circle class="place"/g)).toHaveLength(1);
    expect(html).toContain('Showing the first 1 files of 10.');
    expect(html).toContain('Showing the first 1 errors of 2.');
    expect(html).toContain('<code>deadbeef</code>');
    expect(html).toContain('33.92° S, 18.42° E');
    expect(html).toContain('last run 2025-01-01 00:01 UTC');
  });

  it('renders an empty library with "none" everywhere and no NaN, undefined or null', () => {
    const html = renderReport(emptyData(), OPTS);
    expect(html).not.toMatch(/NaN|undefined|null|Infinity|\[object/);
    expect(html.match(/data-empty/g)).toHaveLength(7);
    expect(html).toContain('This database holds no media files yet');
    expect(statValue(html, 'files')).toBe('0');
    expect(statValue(html, 'taken')).toBe('none');
    expect(html).not.toContain('<svg');
  });

  it('is pure: the same data gives the same page', () => {
    expect(renderReport(fullData(), OPTS)).toBe(renderReport(fullData(), OPTS));
  });
});

const ALLOWED_TAGS = new Set(
  'html head meta title link style body main header h1 h2 h3 p nav a div span section code svg line text g rect path circle table thead tbody tr th td details summary ul li i br wbr footer'.split(' '),
);

describe('report helpers', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_134_296, '1.1 MB'],
    [999_960, '1.0 MB'],
    [5e12, '5.0 TB'],
  ])('formatBytes(%d) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it.each([
    ['Canon', 'Canon EOS R6', 'Canon EOS R6'],
    ['NIKON CORPORATION', 'NIKON D750', 'NIKON D750'],
    ['Apple', 'iPhone 12', 'Apple iPhone 12'],
    [null, 'X-T3', 'X-T3'],
    ['EPSON', null, 'EPSON'],
  ])('cameraName(%s, %s) = %s', (make, model, name) => expect(cameraName(make, model)).toBe(name));

  it.each([
    [0, 1],
    [3, 1],
    [10, 2],
    [37, 10],
    [123_428, 50_000],
  ])('niceStep(%d) = %d', (max, step) => expect(niceStep(max)).toBe(step));

  it('escapes text and shows control characters as their pictures', () => {
    expect(esc(`<a href="x">'&'</a>\u0000\u001f\u007f`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u2400\u241f\u2421');
  });

  it('draws one bar group per bar, stacked segments without empty ones', () => {
    const svg = stackedBars(
      [
        { key: 'a', label: 'Jan', group: '2020', values: [3, 0, 1], title: 'a' },
        { key: 'b', label: 'Mar', group: '2020', values: [0, 2, 0], title: 'b', gapBefore: true },
      ],
      { label: 'test' },
    );
    expect(svg.match(/<g class="bar"/g)).toHaveLength(2);
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(stackedBars([], { label: 'x' })).toBe('');
  });

  it('widens the map for a place south of 60°S, and keeps it at 84°N to 60°S otherwise', () => {
    const height = (svg: string) => Number(/viewBox="0 0 720 ([\d.]+)"/.exec(svg)?.[1]);
    expect(height(worldMap([], { label: 'x' }))).toBe(144 * 2);
    expect(height(worldMap([{ lat: -77.85, lon: 166.67, weight: 1, title: 'McMurdo' }], { label: 'x' }))).toBe(162 * 2);
  });
});

describe('mainRegion', () => {
  const at = (lat: number, lon: number, weight = 1) => ({ lat, lon, weight, title: '' });

  it('is null for no places, and for places all over the world', () => {
    expect(mainRegion([])).toBeNull();
    expect(mainRegion([at(38.7, -9.1), at(35.7, 139.7), at(-33.9, 18.4), at(40.7, -74)])).toBeNull();
  });

  it('closes in on where most files are, leaving out the rare trip, as a 2:1 map', () => {
    const b = mainRegion([at(48.86, 2.35, 50), at(48.6, 2.9, 20), at(49.1, 1.8, 10), at(35.7, 139.7, 2)])!;
    expect(b.west).toBeLessThan(1.8);
    expect(b.east).toBeGreaterThan(2.9);
    expect(b.south).toBeLessThan(48.6);
    expect(b.north).toBeGreaterThan(49.1);
    expect(b.east - b.west).toBeLessThan(10);
    const c = Math.cos((((b.north + b.south) / 2) * Math.PI) / 180);
    expect(((b.east - b.west) * c) / (b.north - b.south)).toBeCloseTo(2, 5);
  });

  it('stays inside the world near the poles and the date line', () => {
    const b = mainRegion([at(-77.85, 179.9, 5), at(-77.5, 179.5, 5)])!;
    expect(b.east).toBeLessThanOrEqual(180);
    expect(b.south).toBeGreaterThanOrEqual(-90);
  });
});

describe('loadReportData on empty databases', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('shoebox-report-empty-')));
  afterAll(() => cleanup());

  it('reads a database with the tables but no rows as an empty library', async () => {
    const path = join(dir, 'tables.duckdb');
    const db = await openDatabase(path);
    await createTables(db.connection);
    closeDatabase(db);
    expect(await loadReportData(path)).toEqual(emptyData());
  });

  it('reads a database without any table as an empty library', async () => {
    const path = join(dir, 'bare.duckdb');
    closeDatabase(await openDatabase(path));
    expect(await loadReportData(path)).toEqual(emptyData());
  });

  it('refuses a missing database with a message that says what to do', async () => {
    const err = await loadReportData(join(dir, 'nope.duckdb')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect((err as ShoeboxError).message).toMatch(/run a pipeline first/);
  });
});

describe('report of a media table the sink named otherwise (--table)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('shoebox-report-table-'));
    await generateSample({ dir: join(dir, 'library') });
    db = join(dir, 'photos.duckdb');
    await run(process.execPath, [BIN, 'run', 'takeout', '--root', join(dir, 'library'), '--db', db, '--set', 'pipelines.takeout.sink.duckdb.table=photos', '--no-progress', '--then=']);
  }, 180_000);
  afterAll(() => cleanup());

  it('without --table: exit 1 naming the table that holds the media rows, no file written', async () => {
    const out = join(dir, 'no-table.html');
    const r = (await run(process.execPath, [BIN, 'report', '--db', db, '--out', out]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no table media in .*photos\.duckdb \(tables: .*photos.*\); media rows are in photos: give --table photos/);
    expect(existsSync(out)).toBe(false);
  });

  it('with --table: the numbers of that table', async () => {
    const files = Number((await readDb(db, 'SELECT count(*) AS n FROM photos'))[0]!.n);
    expect(files).toBeGreaterThan(10);
    expect((await loadReportData(db, 'photos')).totals.files).toBe(files);
    const out = join(dir, 'photos.html');
    const r = await run(process.execPath, [BIN, 'report', '--db', db, '--table', 'photos', '--out', out]);
    expect(r.stdout).toMatch(/^wrote .*photos\.html/);
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>/i);
    // the name is DuckDB's, case-insensitive
    expect((await loadReportData(db, 'PHOTOS')).totals.files).toBe(files);
  });

  it('a --table that is not there is named, with the tables that are', async () => {
    const err = await loadReportData(db, 'fotos').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect((err as ShoeboxError).message).toMatch(/^no table fotos in .* \(tables: .*photos.*\); media rows are in photos: give --table photos$/);
  });
});

describe.skipIf(!hasChromium)(`the report of the generated sample in headless Chromium (skipped without ${CHROMIUM})`, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: string;
  let out: string;
  let browser: Browser;

  const rows = (sql: string) => readDb(db, sql);
  const count = async (sql: string) => Number((await rows(sql))[0]!.n);

  /** Opens `file` and records what the page asked for and complained about. */
  async function open(file: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, requests, problems };
  }

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('shoebox-report-'));
    await generateSample({ dir: join(dir, 'library') });
    db = join(dir, 'photos.duckdb');
    await run(process.execPath, [BIN, 'run', 'takeout', '--root', join(dir, 'library'), '--db', db, '--no-progress']);
    out = join(dir, 'report.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  it('writes one HTML file that refers to nothing outside itself', async () => {
    const r = await writeReport({ db, out });
    expect(r.path).toBe(out);
    const html = await readFile(out, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(html));
    expect(html).not.toMatch(/(src|href)="(?!#|data:)|url\(|@import|<script/i);
  });

  it('loads nothing but itself, and logs no error or warning', async () => {
    const { page, requests, problems } = await open(out);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(out).href]);
    await mkdir(join(SHOT, '..'), { recursive: true });
    await page.screenshot({ path: SHOT, fullPage: true });
    await page.close();
  });

  it('shows the numbers that the database holds', async () => {
    const { page } = await open(out);
    const stat = (key: string) => page.locator(`[data-stat="${key}"] .value`).textContent();
    const files = await count(`SELECT count(*) AS n FROM media`);
    expect(files).toBeGreaterThan(30);
    expect(await stat('files')).toBe(int(files));
    expect(await stat('photos')).toBe(int(await count(`SELECT count(*) AS n FROM media WHERE kind = 'photo'`)));
    expect(await stat('videos')).toBe(int(await count(`SELECT count(*) AS n FROM media WHERE kind = 'video'`)));
    expect(await stat('undated')).toBe(int(await count(`SELECT count(*) AS n FROM media WHERE taken_at IS NULL`)));
    expect(await stat('with-sidecar')).toBe(int(await count(`SELECT count(*) AS n FROM media WHERE sidecar IS NOT NULL`)));
    const without = await count(`SELECT count(*) AS n FROM media WHERE sidecar IS NULL`);
    const paired = await count(`SELECT count(*) AS n FROM sidecars WHERE kind = 'media' AND matched`);
    expect(await page.locator('[data-stat="with-sidecar"] .sub').textContent()).toBe(
      `${int(without)} ${without === 1 ? 'file' : 'files'} without one; ${int(paired)} ${paired === 1 ? 'sidecar' : 'sidecars'} paired`,
    );
    expect(await stat('sidecars-unmatched')).toBe(int(await count(`SELECT count(*) AS n FROM sidecars WHERE kind = 'media' AND NOT matched`)));

    const [range] = await rows(`SELECT strftime(min(taken_at), '%Y-%m-%d') AS first, strftime(max(taken_at), '%Y-%m-%d') AS last FROM media`);
    expect(await page.locator('[data-stat="taken"] .sub').textContent()).toBe(`${range!.first} to ${range!.last}`);

    const months = await rows(`SELECT strftime(taken_at, '%Y-%m') AS month, count(*) AS n FROM media WHERE taken_at IS NOT NULL GROUP BY 1 ORDER BY 1`);
    const bars = await page.locator('svg.months g.bar').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-key'), Number(g.getAttribute('data-total'))]));
    expect(bars).toEqual(months.map((m) => [m.month, Number(m.n)]));
    expect(bars.length).toBeGreaterThan(10);

    const groups = await rows(`SELECT crc32, count(*) AS n FROM media WHERE crc32 IS NOT NULL GROUP BY crc32, size HAVING count(*) > 1`);
    expect(groups.length).toBeGreaterThan(0);
    expect(await stat('duplicates')).toBe(int(groups.length));
    expect(await page.locator('#duplicates tbody tr').count()).toBe(groups.length);

    const errors = await rows(`SELECT path, message FROM errors ORDER BY root, path, stage`);
    expect(errors.length).toBeGreaterThan(0);
    expect(await stat('errors')).toBe(int(errors.length));
    const shown = await page.locator('#errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(shown.map((r) => [r[1], r[3]])).toEqual(errors.map((e) => [e.path, e.message]));

    const cameras = await count(`SELECT count(DISTINCT (make, model)) AS n FROM media WHERE make IS NOT NULL OR model IS NOT NULL`);
    expect(await page.locator('#cameras tbody tr').count()).toBe(cameras);
    const places = await count(
      `SELECT count(DISTINCT (round(coalesce(exif_lat, lat), 2), round(coalesce(exif_lon, lon), 2))) AS n FROM media WHERE coalesce(exif_lat, lat) IS NOT NULL`,
    );
    expect(places).toBeGreaterThan(5);
    expect(await page.locator('svg.world circle.place').count()).toBe(places);
    await page.close();
  });

  it('shows hostile names as text: no element from the data, no error', async () => {
    const file = join(dir, 'hostile.html');
    await writeFile(file, renderReport(fullData(), OPTS));
    const { page, requests, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.locator('script, img, b, iframe').count()).toBe(0);
    const path = await page.locator('#errors tbody tr td:nth-child(2)').textContent();
    expect(path).toBe(HOSTILE.replace('\u0001', '\u2401'));
    expect(await page.locator('#errors tbody tr td:nth-child(1)').textContent()).toBe(ROOT);
    expect(await page.locator('#cameras tbody td').first().textContent()).toBe('<img src=x onerror=alert(1)> X "1"');
    await page.close();
  });

  it('renders an empty database with "none" and without errors', async () => {
    const empty = join(dir, 'empty.duckdb');
    closeDatabase(await openDatabase(empty));
    const r = await writeReport({ db: empty, out: join(dir, 'empty.html') });
    const { page, problems } = await open(r.path);
    expect(problems).toEqual([]);
    expect(await page.locator('[data-empty]').count()).toBe(7);
    expect(await page.locator('[data-stat="files"] .value').textContent()).toBe('0');
    await page.close();
  });
});
