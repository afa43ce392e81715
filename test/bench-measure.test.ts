import { describe, it, expect } from 'vitest';
import { measure, processTree, readStat } from '../src/bench/measure.js';
import { median } from '../src/bench/table.js';
import { replaceSection } from '../src/bench/write.js';

const MB = 2 ** 20;

// A node child that spawns a grandchild; each touches its own buffer and holds it. The sampler must
// see both processes and count both buffers in the tree's peak. Sizes, not timings, are asserted.
const grandchild = `const b = Buffer.alloc(60 * ${MB}, 1); setTimeout(() => b.length, 1500);`;
const child = `
  const { spawn } = require('node:child_process');
  const g = spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });
  const b = Buffer.alloc(40 * ${MB}, 1);
  g.on('exit', () => { console.log('done', b.length); });
`;

describe.runIf(process.platform === 'linux')('measure (process tree via /proc)', () => {
  it('counts the memory of a child and its grandchild together, and their CPU by name', async () => {
    const m = await measure([process.execPath, '-e', child], { intervalMs: 20 });
    expect(m.exitCode).toBe(0);
    expect(m.stdout).toContain(`done ${40 * MB}`);
    expect(m.maxProcesses).toBe(2);
    // both buffers are resident at once (plus two node runtimes of ~30 MB each)
    expect(m.peakRssBytes).toBeGreaterThan(100 * MB);
    expect(m.peakByName.node).toBe(m.peakRssBytes);
    expect(m.cpuMsByName.node).toBeGreaterThan(0);
    expect(m.mainThreadCpuMs).toBeGreaterThan(0);
    expect(m.samples).toBeGreaterThan(1);
  });

  it('names a process by its command line: a perl that renamed itself to an exiftool path is "exiftool"', async () => {
    const perl = `$0 = "${'/a/long/path'.repeat(3)}/node_modules/exiftool-vendored.pl/bin/exiftool"; 1 while (times)[0] < 0.7;`;
    const m = await measure([process.execPath, '-e', `require('child_process').spawnSync('perl', ['-e', ${JSON.stringify(perl)}], { stdio: 'inherit' })`], { intervalMs: 20 });
    expect(m.exitCode).toBe(0);
    expect(m.cpuMsByName.exiftool).toBeGreaterThan(500);
    expect(Object.keys(m.cpuMsByName).sort()).toEqual(['exiftool', 'node']);
  });

  it('discards stdout when asked and reports a failing command', async () => {
    const m = await measure([process.execPath, '-e', 'console.log("x".repeat(1000)); process.exit(3)'], { stdout: 'discard' });
    expect(m.exitCode).toBe(3);
    expect(m.stdout).toBe('');
  });

  it('reads its own /proc entries', () => {
    const st = readStat(`/proc/${process.pid}/stat`);
    expect(st?.ppid).toBe(process.ppid);
    expect(st?.cpuTicks).toBeGreaterThanOrEqual(0);
    expect(readStat('/proc/0/stat')).toBeNull();
    expect(processTree(process.pid)[0]).toBe(process.pid);
  });
});

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[], NaN],
  ])('%j -> %d', (xs, want) => {
    expect(median(xs)).toBe(want);
  });
});

describe('replaceSection (BENCHMARKS.md)', () => {
  const marked = 'intro\n<!-- bench:results:begin -->\nold\n<!-- bench:results:end -->\nanalysis by hand\n';
  it.each([
    ['replaces only what is between the markers', marked, 'results', 'intro\n<!-- bench:results:begin -->\nnew\n<!-- bench:results:end -->\nanalysis by hand\n'],
    ['adds a missing section at the end', 'intro\n', 'profile', 'intro\n\n<!-- bench:profile:begin -->\nnew\n<!-- bench:profile:end -->\n'],
  ])('%s', (_name, text, section, want) => {
    expect(replaceSection(text, section, 'new')).toBe(want);
  });

  it('starts a new file with headings and puts each section under its own', () => {
    const doc = replaceSection(replaceSection('', 'results', 'TABLE'), 'profile', 'FRAMES');
    expect(doc.indexOf('## Latest run')).toBeLessThan(doc.indexOf('TABLE'));
    expect(doc.indexOf('TABLE')).toBeLessThan(doc.indexOf('## Where the time goes'));
    expect(doc.indexOf('## Where the time goes')).toBeLessThan(doc.indexOf('FRAMES'));
  });
});
