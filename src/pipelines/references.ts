/**
 * What JSON Schema cannot say: `then:` names a query that exists, and no stage is listed twice.
 */
import { childPointer } from './pointer.js';
import type { Problem } from './schema-issues.js';
import { suggest } from './suggest.js';

const STAGE_NAMES = ['sidecar', 'fingerprint', 'exif'];

export function checkReferences(data: unknown): Problem[] {
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
