import type { PipelineSpec } from './spec.js';
import type { RunResult } from './run.js';
import { commandName } from './invocation.js';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** The end-of-run summary on stdout: what was found, what failed, where it went, what to try next. */
export function renderSummary(r: RunResult, spec: PipelineSpec, cmd: string = commandName()): string {
  const c = r.counts;
  const secs = Math.max(0.001, (c.finishedAt.getTime() - c.startedAt.getTime()) / 1000);
  const kinds = Object.entries(r.kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}${n === 1 ? '' : k === 'other' ? '' : 's'}`)
    .join(', ');
  const lines = [
    `shoebox ${r.pipeline}: ${c.status} in ${secs.toFixed(1)} s (${r.mode})`,
    `  roots      ${r.roots.join('  ')}`,
    `  files      ${c.files}${kinds ? ` (${kinds})` : ''}, ${mb(c.bytes)} MB read`,
    ...(c.skipped || c.removed ? [`  unchanged  ${c.skipped} files skipped unread; ${c.removed} rows removed for files that are gone`] : []),
    `  speed      ${Math.round(c.files / secs)} files/s, ${mb(c.bytes / secs)} MB/s`,
  ];
  if (spec.stages.some((s) => s.name === 'sidecar') && (c.sidecars > 0 || c.skipped === 0)) {
    // a folder cut short by Ctrl-C writes its media rows (paired) but not yet its sidecars rows
    const partly = c.status === 'interrupted' ? ' in the folders finished' : '';
    lines.push(`  sidecars   ${r.sidecarsMatched} matched, ${r.sidecarsUnmatched} media sidecars without a file (${c.sidecars} JSON files${partly || ' in all'})`);
  }
  if (spec.stages.some((s) => s.name === 'exif') && r.exifNative + r.exifTool > 0) {
    lines.push(`  exif       ${r.exifNative} read in-process (JPEGs), ${r.exifTool} by ExifTool`);
  }
  const duckdb = spec.sink.kind === 'duckdb';
  const db = spec.sink.path;
  lines.push(`  errors     ${c.errors}${c.errors ? ` (this run's; each is a row in the ${duckdb ? 'errors table' : 'errors file'})` : ''}`);
  for (const e of r.firstErrors) lines.push(`             ${e}`);
  if (c.errors > r.firstErrors.length) {
    lines.push(`             … and ${c.errors - r.firstErrors.length} more${duckdb ? `: ${cmd} query errors --db "${db}"` : ''}`);
  }
  lines.push(`  written to ${r.sink}`);
  for (const w of r.warnings) lines.push('', `Warning: ${w}`);
  if (c.files + c.skipped === 0 && c.status === 'completed') {
    lines.push('', `No files were found under ${r.roots.length === 1 ? 'the root' : 'the roots'}: is this the folder the export was extracted to?`);
  }
  if (r.archives > 0) {
    const names = r.firstArchives.join(', ') + (r.archives > r.firstArchives.length ? ', …' : '');
    lines.push(
      '',
      `${r.archives} archive file${r.archives === 1 ? ' was' : 's were'} found and not opened (${names}): shoebox reads extracted folders.`,
      'Extract each archive beside the others (Takeout, Takeout 2, … or takeout-…-001, …) and scan the folder that holds them.',
    );
  }
  if (duckdb) {
    // a media table of another name (the sink's table:) is named in every hint
    const table = spec.sink.table && spec.sink.table !== 'media' ? ` --table ${spec.sink.table}` : '';
    lines.push(
      '',
      'Next:',
      `  ${cmd} query per-year --db "${db}"${table}`,
      `  ${cmd} query duplicates --db "${db}"${table}`,
      `  ${cmd} export --to ${table ? spec.sink.table : 'media'}.parquet --db "${db}"${table}`,
      `  ${cmd} report --db "${db}"${table} --out report.html`,
    );
  }
  if (c.status === 'interrupted') lines.push('', 'Interrupted: run the same command again to finish; unchanged folders are not read twice.');
  return lines.join('\n') + '\n';
}

export function summaryJson(r: RunResult): Record<string, unknown> {
  const c = r.counts;
  return {
    runId: r.runId,
    pipeline: r.pipeline,
    mode: r.mode,
    status: c.status,
    roots: r.roots,
    files: c.files,
    skipped: c.skipped,
    removed: c.removed,
    kinds: r.kinds,
    bytes: c.bytes,
    errors: c.errors,
    firstErrors: r.firstErrors,
    archives: r.archives,
    warnings: r.warnings,
    sidecars: { json: c.sidecars, matched: r.sidecarsMatched, unmatched: r.sidecarsUnmatched },
    exif: { native: r.exifNative, exiftool: r.exifTool },
    durationMs: c.finishedAt.getTime() - c.startedAt.getTime(),
    sink: r.sink,
  };
}
