import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, makeJpeg, tempDir, writeTree } from './helpers.js';

const exec = promisify(execFile);
// util-linux `script` gives the command a pseudo-terminal, as a person's shell would.
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

let dir: string;
let cleanup: () => Promise<void>;
let root: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-progress-'));
  root = join(dir, 'lib');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 40; i++) files[`Photos from 2020/IMG_${i}.jpg`] = makeJpeg(32, 24, i);
  await writeTree(root, files);
});
afterAll(() => cleanup());

const cmd = (db: string, extra = '') => `${process.execPath} ${BIN} run takeout --root '${root}' --db '${join(dir, db)}' --sequential ${extra}`;

describe.skipIf(!SCRIPT)('progress on a terminal', () => {
  it('draws a bar with files done of files found, files/s, MB/s, ETA and errors', async () => {
    const { stdout } = await exec(SCRIPT!, ['-qec', cmd('a.duckdb'), '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
    expect(stdout).toMatch(/█+░*\s+\d+\/40 files \| \d+ files\/s \| [\d.]+ MB\/s \| ETA \S+ \| 0 errors/);
    expect(stdout).toMatch(/40\/40 files/);
    expect(stdout).toMatch(/shoebox takeout: completed/);
    // the total is the count of the whole tree as soon as it is known, not what the walk has seen
    const totals = [...stdout.matchAll(/\d+\/(\d+) files/g)].map((m) => Number(m[1]));
    expect(totals.filter((t) => t !== 40 && t !== 1)).toEqual([]);
    expect(stdout).toMatch(/ETA (\d+m)?\d+s \|/);
  }, 120_000);

  it('draws nothing with --no-progress', async () => {
    const { stdout } = await exec(SCRIPT!, ['-qec', cmd('b.duckdb', '--no-progress'), '/dev/null']);
    expect(stdout).not.toMatch(/files\/s \|/);
    expect(stdout).toMatch(/shoebox takeout: completed/);
  }, 120_000);
});

describe('progress off a terminal', () => {
  it('writes nothing to stderr when stderr is not a terminal', async () => {
    const { stderr, stdout } = await exec(process.execPath, [BIN, 'run', 'takeout', '--root', root, '--db', join(dir, 'c.duckdb')]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/completed/);
  }, 120_000);
});

describe("countMediaFiles: the bar's total", () => {
  it('counts what the walk finds: no JSON, no excluded folder, no link', async () => {
    const { countMediaFiles } = await import('../src/pipelines/progress.js');
    const { symlink } = await import('node:fs/promises');
    const tree = join(dir, 'count');
    await writeTree(tree, {
      'a/1.jpg': Buffer.from('x'),
      'a/1.jpg.json': Buffer.from('{}'),
      'a/b/2.MOV': Buffer.from('x'),
      'a/b/metadata.JSON': Buffer.from('{}'),
      '@eaDir/3.jpg': Buffer.from('x'),
      '4.png': Buffer.from('x'),
    });
    await symlink(join(tree, '4.png'), join(tree, 'link.png'));
    expect(await countMediaFiles([tree], ['@eaDir'])).toBe(3);
    expect(await countMediaFiles([tree, join(dir, 'no such folder')])).toBe(4);
    const stopped = new AbortController();
    stopped.abort();
    expect(await countMediaFiles([tree], [], stopped.signal)).toBe(0);
  });
});
