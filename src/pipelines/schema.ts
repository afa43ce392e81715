/**
 * config/pipelines.schema.json, compiled once, and the walks over it that messages and `--set` need.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { childPointer, splitPointer } from './pointer.js';

export type SchemaObject = Record<string, unknown>;

export const SCHEMA_ID = 'urn:shoebox:pipelines';

let compiled: { ajv: Ajv; root: SchemaObject; validate: ValidateFunction; pointers: Map<object, string> } | undefined;

export function schemaTools() {
  if (!compiled) {
    const file = new URL('../../config/pipelines.schema.json', import.meta.url);
    const root = JSON.parse(readFileSync(file, 'utf8')) as SchemaObject;
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

export function rootSchema(): SchemaObject {
  return schemaTools().root;
}

export function deref(schema: unknown): SchemaObject {
  let s = (schema && typeof schema === 'object' ? schema : {}) as SchemaObject;
  for (let hops = 0; typeof s.$ref === 'string' && s.$ref.startsWith('#/') && hops < 20; hops++) {
    let target: unknown = rootSchema();
    for (const seg of splitPointer(s.$ref.slice(1))) target = (target as SchemaObject | undefined)?.[seg];
    s = (target ?? {}) as SchemaObject;
  }
  return s;
}

/** A schema and the branches of its anyOf/oneOf, dereferenced. */
export function forms(schema: unknown): SchemaObject[] {
  const s = deref(schema);
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  return alts ? [s, ...alts.flatMap(forms)] : [s];
}

/** The keys a schema names in `properties`. */
export function propertyNames(schema: SchemaObject): string[] {
  return Object.keys((schema.properties as SchemaObject | undefined) ?? {});
}
