/**
 * pipelines.yaml -> `Config`, or every problem in it as `ConfigIssue`s (never just the first).
 *
 * The order matters and is the whole flow: parse keeping positions -> apply `--set` to the
 * document (overrides.ts) -> interpolate `${NAME}` (interpolate.ts) -> validate against
 * config/pipelines.schema.json (schema-issues.ts) -> check what JSON Schema cannot, e.g. that
 * `then:` names a query (references.ts) -> resolve defaults into the spec.ts types (resolve.ts).
 * Every problem is located by walking the YAML document (document.ts), so it can name FILE:LINE:COL.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, YAMLMap, parseDocument } from 'yaml';
import { ShoeboxError, describeError } from '../errors.js';
import { type Source, startOf } from './document.js';
import { interpolate } from './interpolate.js';
import { SET_FILE, applySet, parseSetArg } from './overrides.js';
import { checkReferences } from './references.js';
import { type RawConfig, resolveConfig } from './resolve.js';
import { report, validate } from './schema-issues.js';
import { formatIssue, type Config, type ConfigIssue } from './spec.js';

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

/** The folder the package is installed in, from this module in src/pipelines/ or dist/pipelines/. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

function loadText(text: string, file: string, opts: LoadOptions): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const src: Source = { file, text, lines, doc, fromSet: new WeakMap(), unresolved: new WeakSet(), issues: [] };
  const sets = (opts.set ?? []).map((arg, i) => parseSetArg(src, arg, i + 1));

  for (const e of doc.errors) {
    const { line, col } = lines.linePos(e.pos[0]);
    let message = e.message;
    // the yaml package does not say which key: the text at the error's position is it
    const key = e.code === 'DUPLICATE_KEY' ? /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(e.pos[0]))?.[1]?.trim() : undefined;
    if (key) message = `${message}: "${key.replace(/^["']|["']$/g, '')}" is given twice`;
    src.issues.push({ file, line, col, path: '', message: `invalid YAML: ${message}` });
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
    src.issues.push({ ...startOf(src), path: '', message: `invalid YAML: ${describeError(err)}` });
    return fail(src.issues);
  }
  for (const p of validate(data)) report(src, data, p);
  for (const p of checkReferences(data)) report(src, data, p);
  if (src.issues.length) return fail(src.issues);
  return { ok: true, config: resolveConfig(file, data as RawConfig, opts.cpus) };
}

/** The issues once each, the file's in document order before the --set arguments'. */
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

/** Relative to the working directory when the file is under it, as the user would type it. */
function displayName(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
