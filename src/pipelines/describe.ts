/**
 * Schemas and values in the user's words, for messages: `must be an integer ≥ 1, got "ten"`.
 */
import { deref, forms } from './schema.js';
import { orList, suggest } from './suggest.js';

/** What a schema allows, in words: `an integer ≥ 1`, `"default", "all" or a list of tag names`. */
export function describe(schema: unknown): string {
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

/** `must be <what the schema allows>, got <value>`, suggesting an allowed string close to a string value. */
export function mustBe(schema: unknown, value: unknown): string {
  const close = typeof value === 'string' ? suggest(value, allowedStrings(schema)) : undefined;
  const hint = close ? ` (did you mean "${close}"?)` : '';
  return `must be ${describe(schema)}, got ${show(value)}${hint}`;
}

/** A value as a user sees it in their YAML. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

/** The strings a schema allows outright (enum and const), to suggest from. */
function allowedStrings(schema: unknown): string[] {
  return forms(schema).flatMap((f) => [...((f.enum as unknown[] | undefined) ?? []), ...('const' in f ? [f.const] : [])])
    .filter((v): v is string => typeof v === 'string');
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}
