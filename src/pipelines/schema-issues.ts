/**
 * ajv's errors as one problem each, then as `ConfigIssue`s located in the YAML document:
 * an unknown key points at the key (with a did-you-mean), a wrong value at the value.
 */
import type { ErrorObject } from 'ajv';
import { describe, mustBe } from './describe.js';
import { type Source, isEmpty, locate, startOf, whereOf } from './document.js';
import { childPointer, pathOf } from './pointer.js';
import { SCHEMA_ID, type SchemaObject, propertyNames, schemaTools } from './schema.js';
import { didYouMean, orList, suggest } from './suggest.js';

export interface Problem {
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

export function validate(data: unknown): Problem[] {
  const { validate: check } = schemaTools();
  if (check(data)) return [];
  const problems = explain(check.errors ?? []);
  // `stagse:` is one problem, not also a missing `stages`.
  return problems.filter(
    (p) => !(p.missing && problems.some((q) => q.suggested === p.missing && q.about === p.at)),
  );
}

/** A problem as an issue at its place in the file (or in its --set argument). */
export function report(src: Source, data: unknown, p: Problem): void {
  const { node, key, found } = locate(src, p.at);
  if (found && p.target !== 'key' && node && typeof node === 'object' && src.unresolved.has(node)) return;
  let anchor: unknown;
  if (p.target === 'key') anchor = found ? key : node;
  else if (p.target === 'owner') anchor = key ?? node;
  else anchor = found && !isEmpty(node) ? node : key ?? node;
  const where = whereOf(src, anchor) ?? whereOf(src, node) ?? startOf(src);
  src.issues.push({ ...where, path: pathOf(data, p.about), message: p.message });
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
  return [{ at, target: 'value', about: at, mismatch: true, message: mustBe(e.parentSchema, e.data) }];
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
      const keys = propertyNames(schema);
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
      const what = noun ?? 'key';
      if (schema.minProperties === 1 && schema.maxProperties === 1) {
        const got = Object.keys((e.data as object | null) ?? {});
        return e.keyword === 'minProperties'
          ? { ...base, message: `must name one ${what}: ${orList(propertyNames(schema))}` }
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
  if (VALUE_KEYWORDS.has(e.keyword)) return { ...base, mismatch: true, message: mustBe(schema, e.data) };
  return { ...base, message: e.message ?? 'is not valid' };
}
