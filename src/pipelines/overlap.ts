/**
 * Roots are stored as given (DESIGN.md), so the same folder given another way (`lib` from its
 * parent, `../lib` from inside it, a folder inside a root scanned before) would store every file a
 * second time, under another root, and `duplicates` would list each file as a copy of itself. This
 * finds such overlaps between this run's roots and the roots already in the database, for a warning.
 */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

function where(root: string, cwd: string): string {
  const abs = resolve(cwd, root);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

const inside = (child: string, parent: string) => child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** One message per stored root that is, contains or lies inside one of `roots` (compared as real paths from `cwd`). */
export function overlapWarnings(roots: readonly string[], stored: readonly string[], cwd: string = process.cwd()): string[] {
  const out: string[] = [];
  for (const s of stored) {
    if (roots.includes(s)) continue;
    const at = where(s, cwd);
    for (const r of roots) {
      const here = where(r, cwd);
      let how: string | null = null;
      if (at === here) how = `is the same folder as this run's root "${r}"`;
      else if (inside(here, at)) how = `contains this run's root "${r}"`;
      else if (inside(at, here)) how = `lies inside this run's root "${r}"`;
      if (how) {
        out.push(
          `the database already holds files under the root "${s}", which ${how}: those files will be stored twice, once under each root. ` +
            `Give the root as "${s}" (from the folder it was given in), or write to another --db.`,
        );
        break;
      }
    }
  }
  return out;
}
