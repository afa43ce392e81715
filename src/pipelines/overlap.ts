/**
 * Roots are stored as given (DESIGN.md), so the same folder given another way (`lib` from its
 * parent, `../lib` from inside it, a folder inside a root scanned before) would store every file a
 * second time, under another root, and `duplicates` would list each file as a copy of itself; and
 * one name given from two places (`lib` in two folders) would mix two libraries under one root.
 * This finds both between this run's roots and the roots already in the database, for a warning.
 * Each run records the folder its roots named (runs.root_paths); a root of an older shoebox's run
 * is taken from the current folder.
 */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

export interface KnownRoot {
  root: string;
  /** The folder it named when it was scanned (absolute, links resolved); null when unknown. */
  path: string | null;
}

/** `root` as an absolute path from `cwd` with links resolved; only made absolute when it does not exist. */
export function realPath(root: string, cwd: string = process.cwd()): string {
  const abs = resolve(cwd, root);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

const inside = (child: string, parent: string) => child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** One message per stored root that overlaps one of `roots` (compared as real paths). */
export function overlapWarnings(roots: readonly string[], stored: readonly KnownRoot[], cwd: string = process.cwd()): string[] {
  const out: string[] = [];
  const ours = roots.map((r) => ({ root: r, at: realPath(r, cwd) }));
  for (const s of stored) {
    const at = s.path ?? realPath(s.root, cwd);
    const same = ours.find((o) => o.root === s.root);
    if (same) {
      if (same.at !== at) {
        out.push(
          `the database already holds files under the root "${s.root}" from ${at}; this run's "${s.root}" is ${same.at}: ` +
            'the two libraries would be mixed under one root. Scan this one into another --db.',
        );
      }
      continue;
    }
    for (const o of ours) {
      let how: string | null = null;
      if (at === o.at) how = `is the same folder as this run's root "${o.root}"`;
      else if (inside(o.at, at)) how = `contains this run's root "${o.root}"`;
      else if (inside(at, o.at)) how = `lies inside this run's root "${o.root}"`;
      if (how) {
        out.push(
          `the database already holds files under the root "${s.root}" (${at}), which ${how}: those files will be stored twice, once under each root. ` +
            `Give the root as "${s.root}" (from the folder it was given in), or write to another --db.`,
        );
        break;
      }
    }
  }
  return out;
}
