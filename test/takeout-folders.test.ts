/**
 * Folder classification (RULES.md R8) and export-part detection (R9), the latter on real
 * temporary directories.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFolder, expandRoots, isExportPart, naturalCompare } from '../src/takeout/folders.js';

describe('classifyFolder', () => {
  it.each([
    ['Takeout/Google Photos/Photos from 2019', 'year', null],
    ['Takeout/Google Foto/Photos from 2022', 'year', null],
    ['Photos from 1999', 'year', null],
    ['Google Fotos/Fotos von 2005', 'year', null],
    ['Takeout/Google Fotos/Fotos del 2012', 'year', null],
    ['Takeout/Google Photos/Photos from 2019 copy', 'album', 'Photos from 2019 copy'],
    ['Takeout/Google Photos/Trash', 'trash', null],
    ['Takeout/Google Fotos/Papierkorb', 'trash', null],
    ['Takeout/Google Photos/corbeille', 'trash', null],
    ['Takeout/Google Photos/Archive', 'archive', null],
    ['Takeout/Google Foto/Archivio', 'archive', null],
    ['Takeout/Google フォト/アーカイブ', 'archive', null],
    ['Takeout/Google Photos/Locked Folder', 'locked', null],
    ['Takeout/Google Photos/Album test 6-10-23', 'album', 'Album test 6-10-23'],
    ['Takeout/Google Photos/Sans titre(9)', 'album', 'Sans titre(9)'],
    ['Takeout/Google Fotók/🇵🇹 Lisbonne ❤️ en famille 👨‍👩‍👦‍👦', 'album', '🇵🇹 Lisbonne ❤️ en famille 👨‍👩‍👦‍👦'],
    ['Takeout/Google Снимки/[E&S] 2016-01-05 - Castello De Albertis e Mostra d', 'album', '[E&S] 2016-01-05 - Castello De Albertis e Mostra d'],
    ['Google Photos/Album test 6-10-23', 'album', 'Album test 6-10-23'],
    ['Vacation', 'album', 'Vacation'],
    ['takeout/google photos/Photos from 2020', 'year', null],
    ['', 'other', null],
    ['Takeout', 'other', null],
    ['Takeout/Google Photos', 'other', null],
    ['Takeout/Google Drive/Documents', 'other', null],
    ['Takeout/Google Photos/Album/nested', 'other', null],
  ] as const)('%s → %s %s', (rel, folder, album) => {
    expect(classifyFolder(rel)).toEqual({ folder, album });
  });

  it('compares localized names in NFC', () => {
    expect(classifyFolder('Takeout/Google Fotók/Photos from 2020'.normalize('NFD'))).toEqual({ folder: 'year', album: null });
  });
});

describe('isExportPart', () => {
  it.each([
    ['Takeout', true],
    ['Takeout 2', true],
    ['Takeout (1)', true],
    ['takeout-20240525T201456Z-001', true],
    ['takeout-20250921T1994402Z-3-009', true],
    ['Takeout2', false],
    ['takeout-20240525T201456Z-001.zip', false],
    ['My Takeout', false],
    ['Google Photos', false],
  ] as const)('%s → %s', (name, part) => {
    expect(isExportPart(name)).toBe(part);
  });
});

describe('naturalCompare', () => {
  it('orders export part names as the ICU collator does (numeric, case ignored), for every pair', () => {
    const icu = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const names = ['Takeout', 'takeout', 'TAKEOUT'];
    for (const n of [1, 2, 3, 9, 10, 11, 19, 20, 99, 100, 101, 1000]) names.push(`Takeout ${n}`, `Takeout (${n})`, `Takeout 0${n}`);
    for (const stamp of ['20240525T201456Z', '20240525T201456Z', '20250921T1994402Z', '20231231T235959Z', '20240101T000000Z']) {
      for (const tail of ['-001', '-002', '-009', '-010', '-011', '-100', '-1', '-2', '-10', '-3-009', '-3-010', '-10-001', '-2-100']) {
        names.push(`takeout-${stamp}${tail}`, `Takeout-${stamp.toLowerCase()}${tail}`);
      }
    }
    let pairs = 0;
    for (const a of names) {
      for (const b of names) {
        const want = Math.sign(icu.compare(a, b));
        // where the collator sees no difference (case, leading zeros), the order is by code
        expect(naturalCompare(a, b), `${a} vs ${b}`).toBe(want || (a < b ? -1 : a > b ? 1 : 0));
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(20_000);
  });

  it('sorts digits by value and the shorter name first', () => {
    expect(['Takeout 10', 'Takeout (1)', 'Takeout', 'Takeout 2'].sort(naturalCompare)).toEqual(['Takeout', 'Takeout (1)', 'Takeout 2', 'Takeout 10']);
    expect(naturalCompare('Takeout 007', 'Takeout 7')).toBe(-1);
    expect(naturalCompare('Takeout 7', 'Takeout 7')).toBe(0);
    expect(naturalCompare('a', 'a1')).toBe(-1);
  });
});

describe('expandRoots', () => {
  let root: string;
  const dir = (...parts: string[]) => join(root, ...parts);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'shoebox-roots-'));
    for (const d of [
      'unzipped/Takeout 10/Google Photos', 'unzipped/Takeout 2/Google Photos', 'unzipped/Takeout/Google Photos',
      'downloads/takeout-20240525T201456Z-003/Takeout', 'downloads/takeout-20240525T201456Z-001/Takeout',
      'downloads/takeout-20240525T201456Z-002/Takeout', 'plain/Photos from 2020', 'mixed/Takeout (1)', 'mixed/Takeout', 'takeout/Takeout/Google Photos',
    ]) {
      await mkdir(dir(...d.split('/')), { recursive: true });
    }
    // The archives themselves often sit beside their extracted folders; they are files, not parts.
    await writeFile(dir('downloads', 'takeout-20240525T201456Z-001.zip'), '');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['a folder of unzipped parts, in natural order', ['unzipped'], ['unzipped/Takeout', 'unzipped/Takeout 2', 'unzipped/Takeout 10']],
    ['a folder of per-archive parts', ['downloads'], ['downloads/takeout-20240525T201456Z-001', 'downloads/takeout-20240525T201456Z-002', 'downloads/takeout-20240525T201456Z-003']],
    ['a part given directly stays', ['downloads/takeout-20240525T201456Z-002'], ['downloads/takeout-20240525T201456Z-002']],
    ['a Takeout folder given directly stays', ['unzipped/Takeout'], ['unzipped/Takeout']],
    ['an ordinary folder stays', ['plain'], ['plain']],
    ['a folder of your own named "takeout" that holds a part', ['takeout'], ['takeout/Takeout']],
    ['Takeout (1) after Takeout', ['mixed'], ['mixed/Takeout', 'mixed/Takeout (1)']],
    ['several roots, duplicates dropped', ['plain', 'unzipped/Takeout 2', 'unzipped'], ['plain', 'unzipped/Takeout 2', 'unzipped/Takeout', 'unzipped/Takeout 10']],
  ])('%s', async (_, given, expected) => {
    const abs = (p: string) => dir(...p.split('/'));
    expect(await expandRoots(given.map(abs))).toEqual(expected.map(abs));
  });

  it('reports a missing root with SHOEBOX_ROOT_MISSING', async () => {
    await expect(expandRoots([dir('nope')])).rejects.toMatchObject({ code: 'SHOEBOX_ROOT_MISSING' });
  });
});
