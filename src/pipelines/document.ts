/**
 * The parsed pipelines.yaml and where its nodes are, so every issue can name FILE:LINE:COL.
 * Nodes written by `--set` have no place in the file; they carry where in the argument they came from.
 */
import { type Document, type LineCounter, type Pair, type YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { ConfigIssue } from './spec.js';
import { splitPointer } from './pointer.js';

export interface Where {
  file: string;
  line: number;
  col: number;
}

export interface Source {
  file: string;
  text: string;
  lines: LineCounter;
  doc: Document;
  /** Nodes made from --set arguments, with where in the argument they come from. */
  fromSet: WeakMap<object, Where>;
  /** Scalars with a variable that could not be interpolated: already an issue, not also a wrong value. */
  unresolved: WeakSet<object>;
  issues: ConfigIssue[];
}

export function whereOf(src: Source, node: unknown, offset = 0): Where | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const set = src.fromSet.get(node);
  if (set) return { ...set, col: set.col + offset };
  const range = (node as { range?: [number, number, number] | null }).range;
  if (!range) return undefined;
  return { file: src.file, ...src.lines.linePos(range[0] + offset) };
}

/** Where nothing better is known: the top of the file. */
export function startOf(src: Source): Where {
  return { file: src.file, line: 1, col: 1 };
}

export function keyName(key: unknown): string {
  const k = isScalar(key) ? key.value : key;
  // With merge keys on, yaml parses `<<` as Symbol(<<).
  return typeof k === 'symbol' ? (k.description ?? '') : String(k);
}

export function deAlias(src: Source, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The pair for `name` in a mapping, looking through `<<` merge keys as toJS() does. */
export function findPair(src: Source, map: YAMLMap, name: string, depth = 0): Pair | undefined {
  const own = map.items.find((p) => keyName(p.key) === name);
  if (own || depth > 10) return own;
  for (const p of map.items) {
    if (keyName(p.key) !== '<<') continue;
    const value = deAlias(src, p.value);
    const sources = isSeq(value) ? value.items.map((s) => deAlias(src, s)) : [value];
    for (const s of sources) {
      const found = isMap(s) ? findPair(src, s, name, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The node at a JSON pointer (ajv's instancePath), with its key, or the deepest node that exists. */
export function locate(src: Source, pointer: string): { node: unknown; key: unknown; found: boolean } {
  let node: unknown = src.doc.contents;
  let key: unknown;
  for (const seg of splitPointer(pointer)) {
    node = deAlias(src, node);
    if (isMap(node)) {
      const pair = findPair(src, node, seg);
      if (!pair) return { node, key, found: false };
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && node.items[Number(seg)] !== undefined) {
      key = undefined;
      node = node.items[Number(seg)];
    } else {
      return { node, key, found: false };
    }
  }
  return { node, key, found: true };
}
