/**
 * `shoebox report`: the library's numbers from a database as one self-contained HTML file.
 * Read (data.ts), render (html.ts, charts.ts), write: the file appears whole or not at all.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkWritable } from '../db/duckdb.js';
import { ShoeboxError } from '../errors.js';
import { loadReportData } from './data.js';
import { renderReport } from './html.js';

export { loadReportData, LIMITS } from './data.js';
export type { ReportData } from './data.js';
export { renderReport, formatBytes } from './html.js';

export async function writeReport(opts: { db: string; out: string; table?: string }): Promise<{ path: string; bytes: number }> {
  const out = resolve(opts.out);
  // before the queries: a wrong --out should not wait for a large database to be read
  await checkWritable(out, 'report');
  const data = await loadReportData(opts.db, opts.table);
  const html = renderReport(data, { generatedAt: new Date(), db: opts.db });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, html, 'utf8');
    await rename(tmp, out);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `cannot write the report ${out}: ${(err as Error).message}`, { cause: err });
  }
  return { path: out, bytes: Buffer.byteLength(html) };
}
