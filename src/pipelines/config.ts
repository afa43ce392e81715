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
import { CST, LineCounter, Parser, YAMLMap, parseDocument } from 'yaml';
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

  let unclosed: Array<{ offset: number; open: string }> | undefined;
  // closing brackets already explained as under-indented: yaml's "unexpected token" there is noise
  const explained = new Set<number>();
  for (const e of doc.errors) {
    if (/^Unexpected flow-(seq|map)-end token/.test(e.message) && explained.has(e.pos[0])) continue;
    let { line, col } = lines.linePos(e.pos[0]);
    let message = e.message;
    // the yaml package does not say which key: the text at the error's position is it
    const key = e.code === 'DUPLICATE_KEY' ? /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(e.pos[0]))?.[1]?.trim() : undefined;
    if (key) message = `${message}: "${key.replace(/^["']|["']$/g, '')}" is given twice`;
    // An unclosed { or [ is noticed where the text goes on without it, often the next line:
    // point at the bracket itself (each error at its own, the innermost one not yet named).
    const flow = /^Flow (map|sequence) (?:in block collection )?must (?:.* )?end with an? ([}\]])/.exec(e.message);
    if (flow) {
      const [, kind, close] = flow as unknown as [string, string, string];
      const open = close === '}' ? '{' : '[';
      unclosed ??= unclosedFlows(text);
      let i = unclosed.length - 1;
      while (i >= 0 && !(unclosed[i]!.open === open && unclosed[i]!.offset < e.pos[0])) i--;
      if (i >= 0) {
        const opener = lines.linePos(unclosed[i]!.offset);
        unclosed.splice(i, 1);
        const rest = text.slice(e.pos[0]);
        if (rest.trimStart().startsWith(close)) {
          // closed, but on a line indented no further than the key the collection belongs to
          const closer = e.pos[0] + rest.length - rest.trimStart().length;
          explained.add(closer);
          ({ line, col } = lines.linePos(closer));
          message = `this ${close} closes the ${open} at line ${opener.line}, column ${opener.col} but is not indented past the key it belongs to: indent it further`;
        } else {
          message = `this ${open} is not closed: a flow ${kind} must end with ${close} before line ${line}, column ${col}`;
          ({ line, col } = opener);
        }
      }
    }
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
  // An empty file (or one left with comments or defaults only) parses and passes the schema, but
  // gives `run` and `query` nothing: say so rather than "ok (0 pipelines, 0 queries)".
  if (data && typeof data === 'object' && !Array.isArray(data) && !('pipelines' in data) && !('queries' in data)) {
    const what = doc.contents && (doc.contents as YAMLMap).items?.length ? 'defines no `pipelines:` and no `queries:`' : 'is empty';
    src.issues.push({ ...startOf(src), path: '', message: `the configuration ${what}: it needs \`pipelines:\` (named scans) or \`queries:\`, as in ${path.join(PACKAGE_ROOT, 'pipelines.yaml')}` });
  }
  if (src.issues.length) return fail(src.issues);
  return { ok: true, config: resolveConfig(file, data as RawConfig, opts.cpus) };
}

/**
 * The { and [ whose flow collection has no matching end, in the order of the text, as yaml's
 * concrete syntax tree sees them (brackets in quotes, comments and block scalars are not
 * brackets there).
 */
function unclosedFlows(text: string): Array<{ offset: number; open: string }> {
  const found: Array<{ offset: number; open: string }> = [];
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      const v = item.value;
      if (v?.type !== 'flow-collection') return;
      const close = v.start.source === '{' ? '}' : ']';
      if (!v.end.some((t) => t.source === close)) found.push({ offset: v.start.offset, open: v.start.source });
    });
  }
  return found.sort((a, b) => a.offset - b.offset);
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
