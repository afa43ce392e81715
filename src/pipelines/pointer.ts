/**
 * JSON pointers (ajv's instancePath) and the dotted paths issues show: `pipelines.takeout.stages[1]`.
 */

/** One step into the data: a mapping key or a list position. */
export type Key = string | number;

export function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function childPointer(pointer: string, key: Key): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `pipelines.takeout.stages[1]`: array positions in brackets, keys dotted. */
export function formatPath(keys: readonly Key[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A pointer into the data as a path, using the data to tell array positions from keys. */
export function pathOf(data: unknown, pointer: string): string {
  const keys: Key[] = [];
  let cur = data;
  for (const seg of splitPointer(pointer)) {
    const isList = Array.isArray(cur);
    keys.push(isList ? Number(seg) : seg);
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return formatPath(keys);
}
