/**
 * `--set key.path=value`: parsed on its own, then written into the YAML document before
 * interpolation and validation, so a value set on the command line is checked like one in the file.
 */
import { Pair, Scalar, YAMLMap, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { show } from './describe.js';
import { type Source, type Where, deAlias, findPair, isEmpty, keyName, whereOf } from './document.js';
import { type Key, formatPath } from './pointer.js';
import { type SchemaObject, forms, propertyNames, rootSchema } from './schema.js';
import { didYouMean } from './suggest.js';

/** Issues about `--set` arguments name this as their file: line N is the Nth --set, col is into it. */
export const SET_FILE = '--set';

export interface SetArg {
  line: number;
  keys: { name: string; col: number }[];
  value: string;
  valueCol: number;
}

/** Splits `a.b[2].c=value`; a malformed argument is an issue (and null) whatever state the file is in. */
export function parseSetArg(src: Source, arg: string, line: number): SetArg | null {
  const problem = (col: number, message: string) => {
    src.issues.push({ file: SET_FILE, line, col, path: '', message });
    return null;
  };
  const eq = arg.indexOf('=');
  if (eq < 0) return problem(1, `expected key.path=value, got "${arg}"`);
  const keyText = arg.slice(0, eq);
  if (keyText.trim() === '') return problem(1, `expected a key path before "=", e.g. pipelines.takeout.batch.size=100`);
  const keys: SetArg['keys'] = [];
  let offset = 0;
  for (const part of keyText.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (part === '' || !m || (m[1] === '' && !m[2])) {
      return problem(offset + 1, part === '' ? `empty key in "${keyText}"` : `malformed key "${part}" in "${keyText}"`);
    }
    if (m[1]) keys.push({ name: m[1], col: offset + 1 });
    let at = offset + m[1]!.length;
    for (const index of m[2]!.match(/\d+/g) ?? []) {
      keys.push({ name: index, col: at + 2 });
      at += index.length + 2;
    }
    offset += part.length + 1;
  }
  return { line, keys, value: arg.slice(eq + 1), valueCol: eq + 2 };
}

export function applySet(src: Source, set: SetArg): void {
  const at = (col: number): Where => ({ file: SET_FILE, line: set.line, col });
  const problem = (col: number, keys: Key[], message: string) => {
    src.issues.push({ ...at(col), path: formatPath(keys), message });
  };
  const value = setValue(src, set, at(set.valueCol));
  if (value === undefined) return;

  let node: unknown = src.doc.contents;
  let schema: unknown = rootSchema();
  const done: Key[] = [];
  for (let k = 0; k < set.keys.length; k++) {
    const { name, col } = set.keys[k]!;
    const last = k === set.keys.length - 1;
    const next = schemaChild(schema, name);
    node = deAlias(src, node);
    if (isMap(node)) {
      if (!next.schema) return problem(col, done, `unknown ${next.noun} "${name}"${didYouMean(name, next.keys)}`);
      const map = node;
      const own = map.items.find((p) => keyName(p.key) === name);
      const inherited = own ? undefined : findPair(src, map, name);
      if (!own && !inherited && next.dictionary && !last) {
        const names = map.items.map((p) => keyName(p.key)).filter((n) => n !== '<<');
        return problem(col, done, `unknown ${next.noun} "${name}"${didYouMean(name, names)}`);
      }
      const put = (v: unknown): void => {
        if (own) own.value = v;
        else map.items.push(new Pair(marked(src, new Scalar(name), at(col)), v));
      };
      if (last) return put(value);
      let child = deAlias(src, own ? own.value : inherited?.value);
      if (isEmpty(child)) child = marked(src, new YAMLMap(), at(col));
      // Reached through an alias or a `<<` merge: write to a copy, not to what other keys share.
      else if (!own || isAlias(own.value)) child = (child as { clone(): unknown }).clone();
      put(child);
      node = child;
      done.push(name);
    } else if (isSeq(node)) {
      const index = /^\d+$/.test(name) ? Number(name) : NaN;
      if (Number.isNaN(index)) return problem(col, done, `expected an item number, got "${name}"`);
      if (index >= node.items.length) {
        return problem(col, done, `there is no item ${index} (the list has ${node.items.length})`);
      }
      if (last) {
        node.items[index] = value;
        return;
      }
      let item: unknown = node.items[index];
      if (isAlias(item)) node.items[index] = item = (deAlias(src, item) as { clone(): unknown }).clone();
      const following = set.keys[k + 1]!.name;
      if (isScalar(item) && item.value === following) {
        // `stages.1.fingerprint.crc=false` where stages[1] is the shorthand `fingerprint`.
        const expanded = marked(src, new YAMLMap(), whereOf(src, item) ?? at(col));
        expanded.items.push(new Pair(item, null));
        node.items[index] = expanded;
        node = expanded;
      } else {
        node = item;
      }
      done.push(index);
    } else {
      return problem(col, done, `cannot set "${name}": the value here is ${show(isScalar(node) ? node.value : node)}, not a mapping`);
    }
    schema = next.schema;
  }
}

function marked<T extends object>(src: Source, node: T, where: Where): T {
  src.fromSet.set(node, where);
  return node;
}

/**
 * The --set value as a YAML node: a scalar (`100`, `true`, `zstd`) or a flow collection
 * (`[a, b]`, `{ csv: { path: out.csv } }`). Anything else is taken as a string, so
 * `description=Takeout: 2024` does not turn into a mapping.
 */
function setValue(src: Source, set: SetArg, where: Where): unknown {
  const text = set.value;
  const doc = parseDocument(text, { prettyErrors: false });
  const mark = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const range = (node as { range?: number[] | null }).range;
    marked(src, node, { ...where, col: where.col + (range?.[0] ?? 0) });
    if (isMap(node)) for (const p of node.items) (mark(p.key), mark(p.value));
    if (isSeq(node)) node.items.forEach(mark);
  };
  if (/^\s*[[{]/.test(text)) {
    const error = doc.errors[0];
    if (error) {
      src.issues.push({ ...where, col: where.col + error.pos[0], path: '', message: `invalid value: ${error.message}` });
      return undefined;
    }
    mark(doc.contents);
    return doc.contents;
  }
  const c = doc.contents;
  if (!doc.errors.length && isScalar(c) && (c.value !== null || /^\s*(~|null|Null|NULL)?\s*$/.test(text))) {
    mark(c);
    return c;
  }
  return marked(src, new Scalar(text), where);
}

/** What `--set` may write under `name` where `schema` applies. */
function schemaChild(schema: unknown, name: string): { schema?: unknown; dictionary: boolean; keys: string[]; noun: string } {
  const all = forms(schema);
  const keys = all.flatMap(propertyNames);
  const noun = (all.map((f) => f['x-noun']).find((n) => typeof n === 'string') as string | undefined) ?? 'key';
  const result = { dictionary: false, keys, noun };
  for (const f of all) {
    const props = f.properties as SchemaObject | undefined;
    if (props && Object.hasOwn(props, name)) return { ...result, schema: props[name] };
  }
  for (const f of all) {
    if (f.additionalProperties && typeof f.additionalProperties === 'object') {
      return { ...result, schema: f.additionalProperties, dictionary: true };
    }
  }
  for (const f of all) if (f.items && /^\d+$/.test(name)) return { ...result, schema: f.items };
  // Only a schema that says nothing about keys lets anything through.
  const constrained = all.some((f) => f.additionalProperties === false || f.type !== undefined || f.items !== undefined);
  return constrained ? result : { ...result, schema: {} };
}
