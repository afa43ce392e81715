/**
 * How a user types shoebox again, for the hints a run prints ("Next: … query per-year …"):
 * `shoebox` when that name on PATH is this program, `npx shoebox` inside a project that has it
 * (its own checkout, or one with it in node_modules/.bin), else the path it was started by.
 */
import { realpathSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path';

function real(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

export function commandName(
  started: string | undefined = process.argv[1],
  cwd: string = process.cwd(),
  path: string = process.env.PATH ?? '',
): string {
  if (!started) return 'shoebox';
  const self = real(resolve(cwd, started));
  if (!self) return 'shoebox';
  // npm and npx put a project's node_modules/.bin (npx: its cache's) on the PATH of what they
  // start: found there, `shoebox` would not work in the user's own shell
  const injected = (dir: string) => /[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir) || /[\\/]_npx[\\/]/.test(dir);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (!injected(dir) && real(join(dir, 'shoebox')) === self) return 'shoebox';
  }
  // bin/shoebox of a checkout or of node_modules/shoebox: its package is two levels up.
  const pkg = dirname(dirname(self));
  const inside = (dir: string) => {
    const rel = relative(dir, cwd);
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
  };
  if (inside(pkg) || real(join(cwd, 'node_modules', '.bin', 'shoebox')) === self) return 'npx shoebox';
  return /\s/.test(self) ? `"${self}"` : self;
}

