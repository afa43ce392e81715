/**
 * pipelines.yaml -> `Config`, or every problem in it as `ConfigIssue`s (never just the first).
 *
 * The order matters and is the whole flow: parse keeping positions -> apply `--set` to the
 * document -> interpolate `${NAME}` -> validate against config/pipelines.schema.json -> check what
 * JSON Schema cannot (`then:` names a query) -> resolve defaults into the spec.ts types.
 * Every problem is located by walking the YAML document, so it can name FILE:LINE:COL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Document, LineCounter, Pair, Scalar, YAMLMap, isAlias, isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { ShoeboxError, describeError } from '../errors.js';
import { formatIssue, type Concurrency, type Config, type ConfigIssue, type PipelineSpec, type QuerySpec, type SinkKind, type SinkSpec, type StageSpec } from './spec.js';
import { didYouMean, orList, suggest } from './suggest.js';

export interface LoadOptions {
  /** Default: ./pipelines.yaml in the working directory, else the one shipped with the package. */
  file?: string;
  /** For `${NAME}` interpolation; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** `--set key.path=value` overrides, applied before validation. */
  set?: string[];
  /** What `cpu: auto` means; default os.availableParallelism(). */
  cpus?: number;
}

export type LoadResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** The file and folder this module ships in: src/pipelines/ or dist/pipelines/. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_ID = 'urn:shoebox:pipelines';
/** Issues about `--set` arguments name this as their file: line N is the Nth --set, col is into it. */
const SET_FILE = '--set';

export function defaultConfigPath(): string {
  const local = path.resolve('pipelines.yaml');
  return existsSync(local) ? local : path.join(PACKAGE_ROOT, 'pipelines.yaml');
}

export async function loadConfig(opts: LoadOptions = {}): Promise<LoadResult> {
  const file = opts.file ?? defaultConfigPath();
  const shown = displayName(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail([{ file: shown, line: 1, col: 1, path: '', message: `cannot read the configuration: ${describeError(err)}` }]);
  }
  return loadText(text, shown, opts);
}

/** For commands that cannot go on without a configuration: the config, or a SHOEBOX_CONFIG_INVALID error listing every issue. */
export function requireConfig(result: LoadResult): Config {
  if (result.ok) return result.config;
  const lines = result.issues.map(formatIssue).join('\n');
  throw new ShoeboxError('SHOEBOX_CONFIG_INVALID', `invalid configuration:\n${lines}`, { cause: result.issues });
}

// ---------------------------------------------------------------------------------------------
// The document and where its nodes are

interface Where {
  file: string;
  line: number;
  col: number;
}

type Key = string | number;

interface Source {
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

function loadText(text: string, file: string, opts: LoadOptions): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const src: Source = { file, text, lines, doc, fromSet: new WeakMap(), unresolved: new WeakSet(), issues: [] };
  const sets = (opts.set ?? []).map((arg, i) => parseSetArg(src, arg, i + 1));

  for (const e of doc.errors) {
    const { line, col } = lines.linePos(e.pos[0]);
    src.issues.push({ file, line, col, path: '', message: `invalid YAML: ${e.message}` });
  }
  // A broken document has no trustworthy structure: anything said about it would be noise.
  if (doc.errors.length) return fail(src.issues);

  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  for (const set of sets) if (set) applySet(src, set);
  interpolate(src, opts.env ?? process.env);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    src.issues.push({ file, line: 1, col: 1, path: '', message: `invalid YAML: ${describeError(err)}` });
    return fail(src.issues);
  }
  for (const p of validate(data)) report(src, data, p);
  for (const p of checkReferences(data)) report(src, data, p);
  if (src.issues.length) return fail(src.issues);
  return { ok: true, config: resolve(file, data as RawConfig, opts.cpus) };
}

function fail(issues: ConfigIssue[]): LoadResult {
  const rank = (i: ConfigIssue) => (i.file === SET_FILE ? 1 : 0);
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = `${i.file}:${i.line}:${i.col} ${i.path} ${i.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  unique.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
  return { ok: false, issues: unique };
}

function displayName(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

function whereOf(src: Source, node: unknown, offset = 0): Where | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const set = src.fromSet.get(node);
  if (set) return { ...set, col: set.col + offset };
  const range = (node as { range?: [number, number, number] | null }).range;
  if (!range) return undefined;
  return { file: src.file, ...src.lines.linePos(range[0] + offset) };
}

function keyName(key: unknown): string {
  const k = isScalar(key) ? key.value : key;
  // With merge keys on, yaml parses `<<` as Symbol(<<).
  return typeof k === 'symbol' ? (k.description ?? '') : String(k);
}

function deAlias(src: Source, node: unknown): unknown {
  return isAlias(node) ? node.resolve(src.doc) : node;
}

/** The pair for `name` in a mapping, looking through `<<` merge keys as toJS() does. */
function findPair(src: Source, map: YAMLMap, name: string, depth = 0): Pair | undefined {
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
function locate(src: Source, pointer: string): { node: unknown; key: unknown; found: boolean } {
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

function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function childPointer(pointer: string, key: Key): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `pipelines.takeout.stages[1]`: array positions in brackets, keys dotted. */
function formatPath(keys: readonly Key[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A pointer into the data as a path, using the data to tell array positions from keys. */
function pathOf(data: unknown, pointer: string): string {
  const keys: Key[] = [];
  let cur = data;
  for (const seg of splitPointer(pointer)) {
    const isList = Array.isArray(cur);
    keys.push(isList ? Number(seg) : seg);
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return formatPath(keys);
}

// ---------------------------------------------------------------------------------------------
// --set key.path=value

interface SetArg {
  line: number;
  keys: { name: string; col: number }[];
  value: string;
  valueCol: number;
}

/** Splits `a.b[2].c=value`; a malformed argument is an issue (and null) whatever state the file is in. */
function parseSetArg(src: Source, arg: string, line: number): SetArg | null {
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

function applySet(src: Source, set: SetArg): void {
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
      const own = node.items.find((p) => keyName(p.key) === name);
      const inherited = own ? undefined : findPair(src, node, name);
      if (!own && !inherited && next.dictionary && !last) {
        const names = node.items.map((p) => keyName(p.key)).filter((n) => n !== '<<');
        return problem(col, done, `unknown ${next.noun} "${name}"${didYouMean(name, names)}`);
      }
      if (last) {
        if (own) own.value = value;
        else node.items.push(new Pair(marked(src, new Scalar(name), at(col)), value));
        return;
      }
      let child = deAlias(src, own ? own.value : inherited?.value);
      if (isEmpty(child)) child = marked(src, new YAMLMap(), at(col));
      // Reached through an alias or a `<<` merge: write to a copy, not to what other keys share.
      else if (!own || isAlias(own.value)) child = (child as { clone(): unknown }).clone();
      if (own) own.value = child;
      else node.items.push(new Pair(marked(src, new Scalar(name), at(col)), child));
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

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
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
    const range = node && typeof node === 'object' ? (node as { range?: number[] | null }).range : undefined;
    if (node && typeof node === 'object') src.fromSet.set(node, { ...where, col: where.col + (range?.[0] ?? 0) });
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

// ---------------------------------------------------------------------------------------------
// ${NAME} and ${NAME:-default}

function interpolate(src: Source, env: NodeJS.ProcessEnv): void {
  const walk = (node: unknown, keys: Key[]): void => {
    if (!node || typeof node !== 'object' || isAlias(node) || src.fromSet.has(node)) return;
    if (isMap(node)) for (const p of node.items) walk(p.value, [...keys, keyName(p.key)]);
    else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...keys, i]));
    else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const { text, problems } = expand(node.value, env);
      for (const { ordinal, message } of problems) {
        const raw = node.range ? src.text.slice(node.range[0], node.range[1]) : '';
        const offset = referenceOffsets(raw)[ordinal] ?? 0;
        const where = whereOf(src, node, offset) ?? { file: src.file, line: 1, col: 1 };
        src.issues.push({ ...where, path: formatPath(keys), message });
        src.unresolved.add(node);
      }
      if (text === node.value || problems.length) return;
      node.value = text;
      // An unquoted `io: ${IO:-16}` means the number, as `io: 16` would; a quoted one stays a string.
      if (node.type === Scalar.PLAIN) {
        const typed = parseScalar(text);
        if (typeof typed === 'number' || typeof typed === 'boolean') node.value = typed;
      }
    }
  };
  walk(src.doc.contents, []);
}

function parseScalar(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return text;
  }
}

/** Offsets of the `${` that start references (not the escaped `$${`), in order. */
function referenceOffsets(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('$${', i)) i += 2;
    else if (s.startsWith('${', i)) out.push(i);
  }
  return out;
}

function expand(s: string, env: NodeJS.ProcessEnv): { text: string; problems: { ordinal: number; message: string }[] } {
  const problems: { ordinal: number; message: string }[] = [];
  let text = '';
  let ordinal = 0;
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, dollar);
    if (s.startsWith('$${', dollar)) {
      text += '${';
      i = dollar + 3;
      continue;
    }
    if (s[dollar + 1] !== '{') {
      text += '$';
      i = dollar + 1;
      continue;
    }
    const close = s.indexOf('}', dollar + 2);
    if (close < 0) {
      problems.push({ ordinal, message: `unterminated "\${" (write "$\${" for a literal "\${")` });
      text += s.slice(dollar);
      break;
    }
    const ref = s.slice(dollar, close + 1);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(s.slice(dollar + 2, close));
    if (!m) {
      problems.push({ ordinal, message: `malformed "${ref}": expected \${NAME} or \${NAME:-default}` });
    } else {
      const [, name, fallback] = m;
      const value = env[name!];
      // As in the shell, `:-` also replaces a variable that is set but empty.
      if (value !== undefined && !(fallback !== undefined && value === '')) text += value;
      else if (fallback !== undefined) text += fallback;
      else problems.push({ ordinal, message: `environment variable ${name} is not set (set it, or write \${${name}:-default})` });
    }
    ordinal++;
    i = close + 1;
  }
  return { text, problems };
}

// ---------------------------------------------------------------------------------------------
// The JSON Schema, and ajv's errors as one problem each

type SchemaObject = Record<string, unknown>;

let compiled: { ajv: Ajv; root: SchemaObject; validate: ValidateFunction; pointers: Map<object, string> } | undefined;

function schemaTools() {
  if (!compiled) {
    const root = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'config', 'pipelines.schema.json'), 'utf8')) as SchemaObject;
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
    ajv.addVocabulary(['x-noun', 'x-expected']);
    ajv.addSchema(root);
    // ajv's schemaPath is relative to whichever $ref target it compiled separately, so a failing
    // anyOf is found in the schema by identity: verbose errors carry the schema objects themselves.
    const pointers = new Map<object, string>();
    const index = (node: unknown, pointer: string): void => {
      if (!node || typeof node !== 'object') return;
      pointers.set(node, pointer);
      for (const [k, v] of Object.entries(node)) index(v, childPointer(pointer, k));
    };
    index(root, '#');
    compiled = { ajv, root, validate: ajv.getSchema(SCHEMA_ID)!, pointers };
  }
  return compiled;
}

function rootSchema(): SchemaObject {
  return schemaTools().root;
}

function deref(schema: unknown): SchemaObject {
  let s = (schema && typeof schema === 'object' ? schema : {}) as SchemaObject;
  for (let hops = 0; typeof s.$ref === 'string' && s.$ref.startsWith('#/') && hops < 20; hops++) {
    let target: unknown = rootSchema();
    for (const seg of splitPointer(s.$ref.slice(1))) target = (target as SchemaObject | undefined)?.[seg];
    s = (target ?? {}) as SchemaObject;
  }
  return s;
}

/** A schema and the branches of its anyOf/oneOf, dereferenced. */
function forms(schema: unknown): SchemaObject[] {
  const s = deref(schema);
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  return alts ? [s, ...alts.flatMap(forms)] : [s];
}

/** What `--set` may write under `name` where `schema` applies. */
function schemaChild(schema: unknown, name: string): { schema?: unknown; dictionary: boolean; keys: string[]; noun: string } {
  const all = forms(schema);
  const keys = all.flatMap((f) => Object.keys((f.properties as SchemaObject | undefined) ?? {}));
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

interface Problem {
  /** Where the problem is (a JSON pointer into the data). */
  at: string;
  /** What to point at: the key named by `at`, its value, or the key owning the value. */
  target: 'key' | 'value' | 'owner';
  /** The path the message is about (the owning mapping for an unknown key). */
  about: string;
  message: string;
  /** The value is not of the expected form at all (not merely out of range inside it). */
  mismatch?: boolean;
  /** additionalProperties: the key it probably should be; required: the missing key. */
  suggested?: string;
  missing?: string;
}

const VALUE_KEYWORDS = new Set([
  'type', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'pattern', 'format', 'minLength', 'maxLength',
]);

function validate(data: unknown): Problem[] {
  const { validate: check } = schemaTools();
  if (check(data)) return [];
  const problems = explain(check.errors ?? []);
  // `stagse:` is one problem, not also a missing `stages`.
  return problems.filter(
    (p) => !(p.missing && problems.some((q) => q.suggested === p.missing && q.about === p.at)),
  );
}

/** ajv's errors as problems, with each anyOf failure explained by its most fitting branch. */
function explain(errors: ErrorObject[]): Problem[] {
  const out: Problem[] = [];
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i]!;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // ajv reports an anyOf right after its branches' errors, all at or below its instance.
      while (i > 0 && within(errors[i - 1]!.instancePath, e.instancePath)) i--;
      out.push(...explainAlternatives(e));
    } else if (e.keyword !== 'if') {
      out.push(problemOf(e));
    }
  }
  return out.reverse();
}

function within(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(parent + '/');
}

function explainAlternatives(e: ErrorObject): Problem[] {
  const at = e.instancePath;
  if (e.keyword === 'oneOf' && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas)) {
    return [{ at, target: 'value', about: at, message: `matches more than one form of ${describe(e.parentSchema)}` }];
  }
  const { ajv, pointers } = schemaTools();
  const owner = pointers.get(e.parentSchema as object);
  const branches = (e.schema as unknown[]).map((_, k) => {
    const check = owner === undefined ? undefined : ajv.getSchema(`${SCHEMA_ID}${owner}/${e.keyword}/${k}`);
    if (!check || check(e.data)) return [];
    return explain((check.errors ?? []).map((x) => ({ ...x, instancePath: at + x.instancePath })));
  });
  const fitting = branches.filter((ps) => ps.length && !ps.some((p) => p.at === at && p.mismatch));
  if (fitting.length) return fitting.reduce((best, ps) => (ps.length < best.length ? ps : best));
  const words = typeof e.data === 'string' ? suggest(e.data, allowedStrings(e.parentSchema)) : undefined;
  const hint = words ? ` (did you mean "${words}"?)` : '';
  return [{ at, target: 'value', about: at, mismatch: true, message: `must be ${describe(e.parentSchema)}, got ${show(e.data)}${hint}` }];
}

function problemOf(e: ErrorObject): Problem {
  const schema = (e.parentSchema ?? {}) as SchemaObject;
  const noun = typeof schema['x-noun'] === 'string' ? schema['x-noun'] : undefined;
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const base = { at, about: at, target: 'value' as const };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keys = Object.keys((schema.properties as SchemaObject | undefined) ?? {});
      return {
        at: childPointer(at, key), target: 'key', about: at, suggested: suggest(key, keys),
        message: `unknown ${noun ?? 'key'} "${key}"${didYouMean(key, keys)}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return { ...base, target: 'owner', missing, message: `missing required key "${missing}"` };
    }
    case 'minProperties':
    case 'maxProperties': {
      const keys = Object.keys((schema.properties as SchemaObject | undefined) ?? {});
      const what = noun ?? 'key';
      if (schema.minProperties === 1 && schema.maxProperties === 1) {
        const got = Object.keys((e.data as object | null) ?? {});
        return e.keyword === 'minProperties'
          ? { ...base, message: `must name one ${what}: ${orList(keys)}` }
          : { ...base, message: `must name only one ${what}, got ${got.length}: ${got.join(', ')}` };
      }
      return { ...base, message: `${e.keyword === 'minProperties' ? 'needs at least' : 'allows at most'} ${String(params.limit)} ${what}s` };
    }
    case 'minItems':
      return { ...base, message: params.limit === 1 ? (noun ? `must list at least one ${noun}` : 'must not be empty') : `must have at least ${String(params.limit)} items` };
    case 'enum':
      if (noun && typeof e.data === 'string') {
        return { ...base, message: `unknown ${noun} "${e.data}"${didYouMean(e.data, (schema.enum as string[]).map(String))}` };
      }
      break;
    case 'minLength':
      if (e.data === '') return { ...base, mismatch: true, message: 'must not be empty' };
      break;
  }
  if (VALUE_KEYWORDS.has(e.keyword)) {
    const close = typeof e.data === 'string' ? suggest(e.data, allowedStrings(schema)) : undefined;
    const hint = close ? ` (did you mean "${close}"?)` : '';
    return { ...base, mismatch: true, message: `must be ${describe(schema)}, got ${show(e.data)}${hint}` };
  }
  return { ...base, message: e.message ?? 'is not valid' };
}

/** The strings a schema allows outright (enum and const), to suggest from. */
function allowedStrings(schema: unknown): string[] {
  return forms(schema).flatMap((f) => [...((f.enum as unknown[] | undefined) ?? []), ...('const' in f ? [f.const] : [])])
    .filter((v): v is string => typeof v === 'string');
}

/** What a schema allows, in words: `an integer ≥ 1`, `"default", "all" or a list of tag names`. */
function describe(schema: unknown): string {
  const s = deref(schema);
  if (typeof s['x-expected'] === 'string') return s['x-expected'];
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (alts) return orList(alts.map(describe));
  if ('const' in s) return quote(s.const);
  if (Array.isArray(s.enum)) return orList(s.enum.map(quote));
  const type = [s.type].flat().find((t) => t !== 'null');
  switch (type) {
    case 'integer':
    case 'number': {
      const bounds = [
        typeof s.minimum === 'number' ? ` ≥ ${s.minimum}` : '',
        typeof s.maximum === 'number' ? ` ≤ ${s.maximum}` : '',
      ].join('');
      return `${type === 'integer' ? 'an integer' : 'a number'}${bounds}`;
    }
    case 'string':
      return s.pattern ? `a string matching ${String(s.pattern)}` : 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return describe(s.items) === 'a string' ? 'a list of strings' : 'a list';
    case 'object':
      return 'a mapping';
  }
  return 'something else';
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** A value as a user sees it in their YAML. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function report(src: Source, data: unknown, p: Problem): void {
  const { node, key, found } = locate(src, p.at);
  if (found && p.target !== 'key' && node && typeof node === 'object' && src.unresolved.has(node)) return;
  let anchor: unknown;
  if (p.target === 'key') anchor = found ? key : node;
  else if (p.target === 'owner') anchor = key ?? node;
  else anchor = found && !isEmpty(node) ? node : key ?? node;
  const where = whereOf(src, anchor) ?? whereOf(src, node) ?? { file: src.file, line: 1, col: 1 };
  src.issues.push({ ...where, path: pathOf(data, p.about), message: p.message });
}

// ---------------------------------------------------------------------------------------------
// What the schema cannot say

const STAGE_NAMES = ['sidecar', 'fingerprint', 'exif'];

function checkReferences(data: unknown): Problem[] {
  const out: Problem[] = [];
  const root = record(data);
  const queries = Object.keys(record(root.queries));
  for (const [name, raw] of Object.entries(record(root.pipelines))) {
    const pipeline = record(raw);
    const at = childPointer('/pipelines', name);
    if (Array.isArray(pipeline.then)) {
      pipeline.then.forEach((q, i) => {
        if (typeof q !== 'string' || q === '' || queries.includes(q)) return;
        const close = suggest(q, queries);
        const hint = close ? ` (did you mean "${close}"?)` : queries.length ? ` (queries: ${queries.join(', ')})` : ' (there are no queries)';
        const item = childPointer(childPointer(at, 'then'), i);
        out.push({ at: item, about: item, target: 'value', message: `unknown query "${q}"${hint}` });
      });
    }
    if (Array.isArray(pipeline.stages)) {
      const seen = new Map<string, number>();
      pipeline.stages.forEach((s, i) => {
        const stage = typeof s === 'string' ? s : s && typeof s === 'object' ? Object.keys(s)[0] : undefined;
        if (!stage || !STAGE_NAMES.includes(stage)) return;
        const first = seen.get(stage);
        if (first === undefined) return void seen.set(stage, i);
        const item = childPointer(childPointer(at, 'stages'), i);
        out.push({ at: item, about: item, target: 'value', message: `stage "${stage}" is already at stages[${first}]` });
      });
    }
  }
  return out;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

// ---------------------------------------------------------------------------------------------
// Valid data -> Config

interface RawConcurrency {
  io?: number;
  cpu?: number | 'auto';
}
interface RawBatch {
  size?: number;
  flushMs?: number;
}
interface RawStageOptions {
  crc?: boolean;
  mime?: boolean;
  tags?: 'default' | 'all' | string[];
  geolocation?: boolean;
  filesPerRequest?: number;
}
type RawStage = string | Record<string, RawStageOptions | null>;
interface RawSinkOptions {
  path: string;
  table?: string;
  partitionBy?: string | string[];
  compression?: string;
}
interface RawPipeline {
  description?: string;
  source: { walk: { roots: string[]; followSymlinks?: boolean; exclude?: string[] } };
  stages: RawStage[];
  sink: Partial<Record<SinkKind, RawSinkOptions>>;
  then?: string[];
  concurrency?: RawConcurrency;
  batch?: RawBatch;
}
type RawQuery = string | { description?: string; sql: string; params?: Record<string, string | number | null> | string[] };
interface RawConfig {
  defaults?: { concurrency?: RawConcurrency; batch?: RawBatch };
  pipelines?: Record<string, RawPipeline>;
  queries?: Record<string, RawQuery>;
}

/** What a file without `defaults:` gets (DESIGN.md). */
const BUILT_IN = { io: 16, cpu: 'auto' as const, size: 500, flushMs: 1000 };

function resolve(file: string, raw: RawConfig, cpus?: number): Config {
  const d = raw.defaults ?? {};
  const pipelines: Record<string, PipelineSpec> = {};
  for (const [name, p] of Object.entries(raw.pipelines ?? {})) {
    const cpu = p.concurrency?.cpu ?? d.concurrency?.cpu ?? BUILT_IN.cpu;
    const concurrency: Concurrency = {
      io: p.concurrency?.io ?? d.concurrency?.io ?? BUILT_IN.io,
      cpu: cpu === 'auto' ? (cpus ?? os.availableParallelism()) : cpu,
    };
    pipelines[name] = {
      name,
      description: p.description ?? '',
      source: {
        walk: {
          roots: p.source.walk.roots,
          followSymlinks: p.source.walk.followSymlinks ?? false,
          exclude: p.source.walk.exclude ?? [],
        },
      },
      stages: p.stages.map(resolveStage),
      sink: resolveSink(p.sink),
      then: p.then ?? [],
      concurrency,
      batch: {
        size: p.batch?.size ?? d.batch?.size ?? BUILT_IN.size,
        flushMs: p.batch?.flushMs ?? d.batch?.flushMs ?? BUILT_IN.flushMs,
      },
    };
  }
  const queries: Record<string, QuerySpec> = {};
  for (const [name, q] of Object.entries(raw.queries ?? {})) {
    queries[name] =
      typeof q === 'string'
        ? { name, description: '', sql: q, params: {} }
        : {
            name,
            description: q.description ?? '',
            sql: q.sql,
            params: Array.isArray(q.params) ? Object.fromEntries(q.params.map((n) => [n, null])) : (q.params ?? {}),
          };
  }
  return { file, pipelines, queries };
}

function resolveStage(raw: RawStage): StageSpec {
  const [name, given] = typeof raw === 'string' ? [raw, null] : Object.entries(raw)[0]!;
  const o = given ?? {};
  switch (name) {
    case 'sidecar':
      return { name: 'sidecar', options: {} };
    case 'fingerprint':
      return { name: 'fingerprint', options: { crc: o.crc ?? true, mime: o.mime ?? true } };
    default:
      return {
        name: 'exif',
        options: { tags: o.tags ?? 'default', geolocation: o.geolocation ?? false, filesPerRequest: o.filesPerRequest ?? 50 },
      };
  }
}

function resolveSink(raw: Partial<Record<SinkKind, RawSinkOptions>>): SinkSpec {
  const [kind, o] = Object.entries(raw)[0] as [SinkKind, RawSinkOptions];
  const partitionBy = o.partitionBy === undefined ? [] : [o.partitionBy].flat();
  return { kind, path: o.path, table: o.table ?? 'media', partitionBy, compression: o.compression ?? 'zstd' };
}
