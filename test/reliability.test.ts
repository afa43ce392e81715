import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateLibrary } from '../src/sample/library.js';
import { BIN, makeJpeg, readDb, shoebox, tempDir, writeTree } from './helpers.js';

const exec = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-reliability-'));
});
afterAll(() => cleanup());

const query = readDb;

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/**
 * Starts a sequential scan of `lib` into `db` (slow enough, one ExifTool request
 * per file, to be caught in the middle) and sends `signal` once the scan has begun: the database
 * appears when it has, and the signal is handled from then on.
 */
async function interruptMidScan(lib: string, db: string, signal: NodeJS.Signals) {
  const r = start(['run', 'takeout', '--root', lib, '--db', db, '--sequential', '--json', '--no-progress']);
  while (!existsSync(db)) await sleep(50);
  await sleep(1500);
  r.child.kill(signal);
  const out = await r.done;
  return { out, summary: JSON.parse(out.stdout) as { status: string; files: number } };
}

/** ExifTool processes on this machine, with their parent (1 once orphaned). */
function exiftoolPids(): Array<{ pid: number; ppid: number }> {
  const out: Array<{ pid: number; ppid: number }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmd.includes('exiftool') || !cmd.includes('-stay_open')) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Names, sizes, mtimes, modes, link targets and contents of every entry below `root`. */
async function snapshot(root: string): Promise<string> {
  const h = createHash('sha256');
  const visit = async (rel: string) => {
    const names = (await readdir(join(root, rel), { encoding: 'buffer' })).sort(Buffer.compare);
    for (const raw of names) {
      const name = raw.toString('latin1');
      const path = Buffer.concat([Buffer.from(join(root, rel) + '/'), raw]);
      const st = await lstat(path);
      h.update(`${rel}/${name} ${st.mode} ${st.size} ${st.mtimeMs} ${st.nlink}\n`);
      if (st.isSymbolicLink()) h.update(await readlink(path));
      else if (st.isDirectory()) await visit(`${rel}/${name}`);
      else if (st.isFile()) h.update(await readFile(path));
    }
  };
  await visit('');
  return h.digest('hex');
}

describe('a library full of faults', () => {
  let root: string;
  let db: string;
  let media: Map<string, Record<string, unknown>>;
  let errors: Array<Record<string, unknown>>;
  let sidecars: Array<Record<string, unknown>>;
  let before: string;
  let result: { code: number | null; stdout: string };
  let tmp: string;

  beforeAll(async () => {
    root = join(dir, 'faults');
    db = join(dir, 'faults.duckdb');
    tmp = join(dir, 'faults-tmp');
    await mkdir(tmp);
    const ok = makeJpeg(40, 30, 3);
    const good = (title: string) => JSON.stringify({ title, photoTakenTime: { timestamp: '1600000000' } });
    await writeTree(root, {
      'Photos from 2020/ok.jpg': ok,
      'Photos from 2020/ok.jpg.json': good('ok.jpg'),
      'Photos from 2020/zero.jpg': Buffer.alloc(0),
      'Photos from 2020/truncated.jpg': makeJpeg(200, 150, 9).subarray(0, 1500),
      'Photos from 2020/text.jpg': 'Just some notes, not a photo.\n',
      'Photos from 2020/-n.jpg': makeJpeg(20, 20, 4),
      'Photos from 2020/-n.jpg.json': good('-n.jpg'),
      'Photos from 2020/line\nbreak.jpg': makeJpeg(20, 20, 5),
      // an IPTC block makes this one a file only ExifTool may read (jpeg-exif.ts)
      'Photos from 2020/line\nbreak iptc.jpg': withApp13(makeJpeg(20, 20, 8)),
      [`Photos from 2020/${'long'.repeat(60)}.jpg`]: makeJpeg(20, 20, 6),
      'Photos from 2020/malformed.jpg': makeJpeg(20, 20, 7),
      'Photos from 2020/malformed.jpg.json': '{"title": "malformed.jpg", "photoTakenTime": {',
      'Photos from 2020/empty.jpg.json': '',
      'Photos from 2020/binary.jpg.json': Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]),
      'Photos from 2020/latin1.jpg.json': Buffer.from('{"title": "caf\xe9.jpg", "photoTakenTime": {"timestamp": "1600000000"}}', 'latin1'),
      'Photos from 2020/huge.jpg.json': '{"title": "huge.jpg", "description": "' + 'x'.repeat(20 * 1024 * 1024) + '"}',
    });
    await writeFile(Buffer.concat([Buffer.from(join(root, 'Photos from 2020') + '/bad-'), Buffer.from([0xc3, 0x28]), Buffer.from('.jpg')]), ok);
    await symlink(join(root, 'nowhere.jpg'), join(root, 'Photos from 2020', 'broken-link.jpg'));
    await symlink(join(root, 'Photos from 2020'), join(root, 'Photos from 2020', 'loop'));
    await mkdir(join(root, 'fifo-dir'));
    await exec('mkfifo', [join(root, 'fifo-dir', 'pipe.jpg')]);
    before = await snapshot(root);
    const r = start(['run', 'takeout', '--root', root, '--db', db, '--no-progress'], { TMPDIR: tmp });
    result = await r.done;
    media = new Map((await query(db, 'SELECT * FROM media')).map((x) => [String(x.path), x]));
    errors = await query(db, 'SELECT * FROM errors');
    sidecars = await query(db, 'SELECT * FROM sidecars');
  }, 180_000);

  const errorFor = (path: string) => errors.filter((e) => e.path === path).map((e) => `${e.stage}: ${e.message}`).join(' | ');

  it('completes with exit 0 and changes nothing in the library', async () => {
    expect(result.code, result.stdout).toBe(0);
    expect(await snapshot(root)).toBe(before);
  });

  it.each([
    ['Photos from 2020/zero.jpg', /empty file/],
    ['Photos from 2020/truncated.jpg', /truncated JPEG/],
    ['Photos from 2020/text.jpg', /not a recognised image or video/],
  ])('%s keeps its row and gets an errors row', (path, message) => {
    expect(media.has(path)).toBe(true);
    expect(errorFor(path)).toMatch(message);
  });

  it('reads a plain JPEG with a line break in its name natively: no ExifTool, no error', () => {
    expect(media.get('Photos from 2020/line\nbreak.jpg')).toMatchObject({ mime: 'image/jpeg', width: 20, height: 20 });
    expect(errorFor('Photos from 2020/line\nbreak.jpg')).toBe('');
  });

  it('reads a file with a line break in its name through ExifTool too: its IPTC date, no error', () => {
    // ExifTool alone makes a DateTimeOriginal of IPTC's DateCreated and TimeCreated
    expect(media.get('Photos from 2020/line\nbreak iptc.jpg')).toMatchObject({ exif_taken_at: '2020-01-02T10:11:12+00:00', exif_date_tag: 'DateTimeOriginal' });
    expect(errorFor('Photos from 2020/line\nbreak iptc.jpg')).toBe('');
    // the symbolic links it was read through are gone
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--sequential (one ExifTool request a file) reads it the same way', async () => {
    const seqDb = join(dir, 'faults-sequential.duckdb');
    const r = await start(['run', 'takeout', '--root', root, '--db', seqDb, '--sequential', '--no-progress'], { TMPDIR: tmp }).done;
    expect(r.code, r.stderr).toBe(0);
    const [row] = await query(seqDb, "SELECT exif_taken_at, exif_date_tag FROM media WHERE path = 'Photos from 2020/line\nbreak iptc.jpg'");
    expect(row).toEqual({ exif_taken_at: '2020-01-02T10:11:12+00:00', exif_date_tag: 'DateTimeOriginal' });
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('reads a file whose name starts with "-" like any other, and a very long name', () => {
    expect(media.get('Photos from 2020/-n.jpg')).toMatchObject({ mime: 'image/jpeg', width: 20, sidecar: 'Photos from 2020/-n.jpg.json' });
    expect(media.get(`Photos from 2020/${'long'.repeat(60)}.jpg`)).toMatchObject({ mime: 'image/jpeg', width: 20 });
  });

  it.each([
    ['Photos from 2020/malformed.jpg.json', /not a readable Takeout JSON: .*malformed JSON/],
    ['Photos from 2020/empty.jpg.json', /not a readable Takeout JSON/],
    ['Photos from 2020/binary.jpg.json', /not a readable Takeout JSON/],
    ['Photos from 2020/huge.jpg.json', /larger than the 4194304-byte limit/],
  ])('sidecar %s is an errors row and an invalid sidecars row', (path, message) => {
    expect(errorFor(path)).toMatch(message);
    expect(sidecars.find((s) => s.path === path)).toMatchObject({ kind: 'invalid', matched: false });
  });

  it('a sidecar that is not UTF-8 is still read (bytes replaced), not lost', () => {
    expect(sidecars.find((s) => s.path === 'Photos from 2020/latin1.jpg.json')).toMatchObject({ kind: 'media' });
  });

  it('records links, loops, pipes and undecodable names without following or reading them', () => {
    expect(errorFor('Photos from 2020/broken-link.jpg')).toMatch(/symbolic link/);
    expect(errorFor('Photos from 2020/loop')).toMatch(/symbolic link, not followed/);
    expect(errorFor('fifo-dir/pipe.jpg')).toMatch(/not a regular file/);
    expect(errors.some((e) => /not valid UTF-8 \(bytes 6261642dc3282e6a7067\)/.test(String(e.message)))).toBe(true);
  });

  it('the summary counts every error row', () => {
    expect(result.stdout).toMatch(new RegExp(`errors\\s+${errors.length} \\(this run's; each is a row in the errors table\\)`));
    // the first five are shown, and the way to see them all
    expect(result.stdout).toMatch(new RegExp(`… and ${errors.length - 5} more: \\S.* query errors --db "`));
  });
});

describe('interruptions', () => {
  let lib: string;
  let expected: Array<Record<string, unknown>>;
  const cols = 'root, path, size, crc32, mime, sidecar, match_rule, exif_taken_at, taken_at, make, model';

  beforeAll(async () => {
    lib = join(dir, 'lib');
    await generateLibrary({ dir: lib, files: 400, parts: 2, seed: 7 });
    const db = join(dir, 'reference.duckdb');
    await shoebox('run', 'takeout', '--root', lib, '--db', db, '--no-progress');
    expected = await query(db, `SELECT ${cols} FROM media ORDER BY root, path`);
    expect(expected.length).toBeGreaterThanOrEqual(400);
  }, 300_000);

  it('Ctrl-C writes what was read, records the run as interrupted and exits 130; a rerun finishes the job', async () => {
    const db = join(dir, 'sigint.duckdb');
    const { out, summary } = await interruptMidScan(lib, db, 'SIGINT');
    expect(out.code, out.stderr).toBe(130);
    expect(summary.status).toBe('interrupted');
    const rows = await query(db, 'SELECT count(*) AS n FROM media');
    expect(Number(rows[0]!.n)).toBe(summary.files);
    expect(summary.files).toBeGreaterThan(0);
    expect(summary.files).toBeLessThan(expected.length);
    expect(await query(db, 'SELECT status FROM runs')).toEqual([{ status: 'interrupted' }]);
    await shoebox('run', 'takeout', '--root', lib, '--db', db, '--no-progress');
    expect(await query(db, `SELECT ${cols} FROM media ORDER BY root, path`)).toEqual(expected);
  }, 300_000);

  it('killed with SIGKILL at random moments, then run again: every file exactly once, the same rows, no ExifTool left behind', async () => {
    const db = join(dir, 'sigkill.duckdb');
    const before = new Set(exiftoolPids().map((p) => p.pid));
    const delays = [700, 1500, 2600, 3800].map((d) => d + Math.floor(Math.random() * 500));
    for (const [i, delay] of delays.entries()) {
      const r = start(['run', 'takeout', '--root', lib, '--db', db, '--no-progress', ...(i % 2 ? ['--sequential'] : [])]);
      await sleep(delay);
      r.child.kill('SIGKILL');
      await r.done;
      const [{ n, distinct }] = (await query(db, 'SELECT count(*) AS n, count(DISTINCT (root, path)) AS distinct FROM media').catch(() => [
        { n: 0, distinct: 0 },
      ])) as Array<{ n: unknown; distinct: unknown }>;
      expect(Number(n)).toBe(Number(distinct));
    }
    await shoebox('run', 'takeout', '--root', lib, '--db', db, '--no-progress');
    expect(await query(db, `SELECT ${cols} FROM media ORDER BY root, path`)).toEqual(expected);
    // Each ExifTool ends with shoebox (the kernel ends it on Linux; elsewhere a guard notices within a second or two).
    await sleep(3000);
    expect(exiftoolPids().filter((p) => !before.has(p.pid) && p.ppid === 1)).toEqual([]);
  }, 300_000);

  it('SIGTERM stops like Ctrl-C: what was read is written, exit 143', async () => {
    const db = join(dir, 'sigterm.duckdb');
    const { out, summary } = await interruptMidScan(lib, db, 'SIGTERM');
    expect(out.code, out.stderr).toBe(143);
    expect(summary.status).toBe('interrupted');
    expect(Number((await query(db, 'SELECT count(*) AS n FROM media'))[0]!.n)).toBe(summary.files);
  }, 300_000);

  it('a second writer on a database another process holds gets a clear error and exit 2; the first run is unharmed', async () => {
    const db = join(dir, 'locked.duckdb');
    const first = start(['run', 'takeout', '--root', lib, '--db', db, '--sequential', '--no-progress']);
    await sleep(2500);
    const second = await start(['run', 'takeout', '--root', lib, '--db', db, '--no-progress']).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/database .*locked\.duckdb is locked: held by .*\(PID \d+\).*SHOEBOX_DB_LOCKED/s);
    const out = await first.done;
    expect(out.code, out.stderr).toBe(0);
    expect(await query(db, `SELECT ${cols} FROM media ORDER BY root, path`)).toEqual(expected);
  }, 300_000);
});

/** The JPEG with an APP13 segment (Photoshop resources, IPTC) after SOI. */
function withApp13(jpeg: Buffer): Buffer {
  // Photoshop's resources with an IPTC DateCreated (2:55) and TimeCreated (2:60), which only ExifTool reads
  const iptc = Buffer.from('\x1c\x02\x37\x00\x0820200102\x1c\x02\x3c\x00\x0b101112+0000', 'latin1');
  const resource = Buffer.concat([Buffer.from('8BIM\x04\x04\0\0\0\0\0', 'latin1'), Buffer.from([iptc.length]), iptc]);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\x00', 'latin1'), resource]);
  const head = Buffer.from([0xff, 0xed, 0, body.length + 2]);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}
