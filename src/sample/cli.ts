#!/usr/bin/env node
/**
 * `node dist/sample/cli.js [--dir examples/takeout] [--quiet] [--force]`: writes the sample
 * Takeout library that `npm start` scans, unless the same version of it is already there.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError, exitCodeFor, ShoeboxError } from '../errors.js';
import { manifestPath, readManifestHead } from './destination.js';
import { generateSample, SAMPLE_GENERATOR, SAMPLE_VERSION, type SampleFile, type SampleManifest } from './generate.js';

const USAGE = `usage: node dist/sample/cli.js [--dir DIR] [--quiet] [--force]

Writes a small Google Photos Takeout-shaped library (real JPEGs with EXIF, a PNG, MP4s, JSON
sidecars in every naming form) into DIR (default examples/takeout), and DIR.manifest.json beside
it with what a correct scan should find. Does nothing when DIR already holds this version of the
sample, unless --force.`;

export async function main(argv: string[]): Promise<number> {
  let opts: { dir: string; quiet: boolean; force: boolean; help: boolean };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string', default: 'examples/takeout' },
        quiet: { type: 'boolean', short: 'q', default: false },
        force: { type: 'boolean', short: 'f', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    opts = values as typeof opts;
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n${USAGE}\n`);
    return 1;
  }
  if (opts.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const say = (line: string) => opts.quiet || process.stdout.write(line + '\n');
  try {
    if (!opts.force && (await isCurrent(opts.dir))) {
      say(`${opts.dir}: sample v${SAMPLE_VERSION} is already there; nothing to do (--force writes it again)`);
      return 0;
    }
    const t0 = performance.now();
    const { files, manifest } = await generateSample({ dir: opts.dir });
    const seconds = (performance.now() - t0) / 1000;
    say(`Wrote a sample Takeout library to ${opts.dir} in ${seconds.toFixed(1)} s`);
    say(`Expected scan results: ${path.relative(process.cwd(), manifest)}\n`);
    if (!opts.quiet) say(describe(files));
    return 0;
  } catch (err) {
    process.stderr.write(`shoebox sample: ${describeError(err)}\n`);
    return err instanceof ShoeboxError ? exitCodeFor(err.code) : 2;
  }
}

/** This version's sample, with every file of its manifest present at its size. */
async function isCurrent(dir: string): Promise<boolean> {
  const head = await readManifestHead(dir);
  if (head?.generator !== SAMPLE_GENERATOR || head.version !== SAMPLE_VERSION) return false;
  const manifest = JSON.parse(await readFile(manifestPath(dir), 'utf8')) as SampleManifest;
  for (const f of manifest.files) {
    const st = await stat(path.join(dir, ...f.path.split('/'))).catch(() => null);
    if (st?.size !== f.size) return false;
  }
  return true;
}

/** A tree of what was written, then counts by kind. */
function describe(files: SampleFile[]): string {
  const lines: string[] = [];
  let lastDir = '';
  const counts = new Map<string, number>();
  for (const f of files) {
    const dir = path.posix.dirname(f.path);
    if (dir !== lastDir) lines.push(`  ${dir}/`);
    lastDir = dir;
    const name = path.posix.basename(f.path);
    const note = f.expect?.sidecar ? `→ ${path.posix.basename(f.expect.sidecar)}` : '';
    lines.push(`    ${name.padEnd(54)} ${f.kind.padEnd(10)} ${kb(f.size).padStart(8)}  ${note}`.trimEnd());
    counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  }
  lines.push('', [...counts].map(([k, n]) => `${n} ${k}`).join(', '));
  return lines.join('\n');
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
