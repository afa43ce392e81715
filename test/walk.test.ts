import { describe, it, expect, afterEach } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { walk } from '../src/stages/walk.js';
import type { Directory, TableRow } from '../src/types.js';
import { collect, tempDir, writeTree } from './helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('walk', () => {
  it('merges the same relative directory across roots into one Directory', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const a = join(t.dir, 'Takeout');
    const b = join(t.dir, 'Takeout 2');
    await writeTree(a, { 'Photos from 2019/a.jpg': 'A', 'Photos from 2019/b.jpg': 'BB', 'only-a/x.png': 'x' });
    await writeTree(b, { 'Photos from 2019/a.jpg.json': '{}', 'only-b/y.mp4': 'yyy' });
    const items = await collect<Directory>(walk({ roots: [a, b] }));
    const byRel = new Map(items.map((d) => [d.rel, d]));
    expect([...byRel.keys()].sort()).toEqual(['Photos from 2019', 'only-a', 'only-b']);
    const y2019 = byRel.get('Photos from 2019')!;
    expect(y2019.files.map((f) => [f.name, f.rootIndex, f.size])).toEqual([
      ['a.jpg', 0, 1],
      ['a.jpg.json', 1, 2],
      ['b.jpg', 0, 2],
    ]);
    expect(byRel.get('only-b')!.files[0]!.abs).toBe(join(b, 'only-b', 'y.mp4'));
  });

  it('reads directories on demand, not the whole tree up front', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'a/1.jpg': '1', 'b/2.jpg': '2', 'c/3.jpg': '3' });
    const it = walk({ roots: [t.dir] })[Symbol.asyncIterator]();
    const first = (await it.next()).value as Directory;
    expect(first.rel).toBe('a');
    // A directory made inside 'c' after the walk started is still found: the walk holds at most
    // one directory ahead, so 'c' had not been listed yet.
    await writeTree(t.dir, { 'c/new/4.jpg': '4' });
    const rest: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push((r.value as Directory).rel);
    expect(rest).toEqual(['b', 'c', 'c/new']);
  });

  it('does not follow symbolic links by default and records broken ones', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'real/p.jpg': 'p' });
    await symlink(join(t.dir, 'real'), join(t.dir, 'link'));
    await symlink(join(t.dir, 'nowhere.jpg'), join(t.dir, 'real', 'broken.jpg'));
    const items = await collect<Directory | TableRow>(walk({ roots: [t.dir] }));
    const dirs = items.filter((i): i is Directory => i.type === 'dir');
    expect(dirs.map((d) => d.rel)).toEqual(['real']);
    const errors = items.filter((i): i is TableRow => i.type === 'row').map((e) => [e.row.path, e.row.message]);
    expect(errors).toContainEqual(['link', expect.stringContaining('symbolic link, not followed')]);
    expect(errors).toContainEqual(['real/broken.jpg', expect.stringContaining('symbolic link')]);
  });

  it('follows links when asked, and enters a link loop only once', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'a/p.jpg': 'p' });
    await symlink(join(t.dir, 'a'), join(t.dir, 'a', 'loop'));
    const items = await collect<Directory | TableRow>(walk({ roots: [t.dir], followSymlinks: true }));
    const dirs = items.filter((i): i is Directory => i.type === 'dir').map((d) => d.rel);
    expect(dirs.length).toBeLessThanOrEqual(3);
    expect(dirs).toEqual(['a']);
    expect(items.some((i) => i.type === 'row' && i.row.path === 'a/loop' && String(i.row.message).includes('loop'))).toBe(true);
  });

  it('skips excluded names and emits nothing for empty directories', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { '@eaDir/thumb.jpg': 't', 'x/.DS_Store': 'd', 'x/ok.jpg': 'o' });
    await mkdir(join(t.dir, 'empty'));
    const items = await collect<Directory>(walk({ roots: [t.dir], exclude: ['@eaDir', '.DS_Store'] }));
    expect(items.map((d) => [d.rel, d.files.map((f) => f.name)])).toEqual([['x', ['ok.jpg']]]);
  });

  it('records a name that is not valid UTF-8 instead of scanning a path that names no file', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'd/ok.jpg': 'o' });
    const bad = Buffer.concat([Buffer.from(join(t.dir, 'd') + '/bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.jpg')]);
    await writeFile(bad, 'x');
    const items = await collect<Directory | TableRow>(walk({ roots: [t.dir] }));
    const dir = items.find((i): i is Directory => i.type === 'dir')!;
    expect(dir.files.map((f) => f.name)).toEqual(['ok.jpg']);
    const err = items.find((i): i is TableRow => i.type === 'row')!;
    expect(err.row.message).toMatch(/not valid UTF-8 \(bytes 626164fffe2e6a7067\)/);
    expect(err.row.path).toBe('d/bad\\xff\\xfe.jpg');
  });

  it('gives two names that differ only in their invalid bytes two errors rows', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'd/ok.jpg': 'o' });
    for (const b of [0xff, 0xfe]) await writeFile(Buffer.concat([Buffer.from(join(t.dir, 'd') + '/x'), Buffer.from([b]), Buffer.from('é.jpg')]), 'x');
    const rows = (await collect<Directory | TableRow>(walk({ roots: [t.dir] }))).filter((i): i is TableRow => i.type === 'row');
    expect(rows.map((r) => r.row.path).sort()).toEqual(['d/x\\xfeé.jpg', 'd/x\\xffé.jpg']);
  });

  it('rejects an empty root list at construction', () => {
    expect(() => walk({ roots: [] })).toThrow(/at least one root/);
  });

  it('keeps going past a file it cannot stat', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeTree(t.dir, { 'd/a.jpg': 'a' });
    await writeFile(join(t.dir, 'd', 'b.jpg'), 'b');
    const items = await collect<Directory>(walk({ roots: [t.dir] }));
    expect(items[0]!.files.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg']);
  });
});
