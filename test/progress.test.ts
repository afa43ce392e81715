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
