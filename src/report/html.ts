/**
 * `renderReport`: the report's data as one self-contained HTML page. Pure: the same data gives
 * the same bytes. Nothing is loaded from anywhere (inline CSS and SVG, no script at all), and a
 * Content-Security-Policy says so to the browser, so a report mailed to someone stays private.
 * Every value from the database goes through `esc`: paths hold quotes, `<`, `&` and any script.
 */
import { esc, mainRegion, stackedBars, worldMap, type StackedBar } from './charts.js';
import type { FileRef, Listing, MonthCount, Place, ReportData } from './data.js';

export interface RenderOptions {
  generatedAt: Date;
  /** The database the data came from, as the user should read it. */
  db: string;
}

const int = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${int(n)} ${n === 1 ? one : many}`;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
const minute = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Bytes in SI units, as the run summary prints them (1 MB = 10^6 bytes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${int(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 999.95 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** "Canon EOS R6" rather than "Canon Canon EOS R6"; "Apple iPhone 12" rather than "iPhone 12". */
export function cameraName(make: string | null, model: string | null): string {
  if (!make || !model) return make ?? model ?? '?';
  const brand = make.split(/\s+/)[0]!.toLowerCase();
  return model.toLowerCase().startsWith(brand) ? model : `${make} ${model}`;
}

const coordinate = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(2)}° ${v >= 0 ? pos : neg}`;
const placeName = (p: Place) => `${coordinate(p.lat, 'N', 'S')}, ${coordinate(p.lon, 'E', 'W')}`;

/** Escaped, with a line-break opportunity after each '/' and inside very long names. */
const breakable = (p: string) =>
  p
    .split('/')
    .map((part) => (part.match(/.{1,32}/gsu) ?? ['']).map(esc).join('<wbr>'))
    .join('/<wbr>');

/** A path with its folder dimmed and its file name plain; the root in front when asked for. */
function path(f: FileRef, withRoot = false): string {
  const cut = f.path.lastIndexOf('/') + 1;
  const root = withRoot ? `<span class="dir">${esc(f.root)}/<wbr></span>` : '';
  return `<span class="path" title="${esc(`${f.root}/${f.path}`)}">${root}<span class="dir">${breakable(f.path.slice(0, cut))}</span>${breakable(f.path.slice(cut))}</span>`;
}

const none = (what: string) => `<p class="none" data-empty>None: ${esc(what)}</p>`;

/** A column heading, with the class of its cells: `num` (right-aligned), `nowrap` (dates, places), `grow` (bars). */
type Head = string | [string, 'num' | 'nowrap' | 'grow'];

function table(head: Head[], rows: string[][]): string {
  const cls = head.map((h) => (Array.isArray(h) ? ` class="${h[1]}"` : ''));
  const th = head.map((h, i) => `<th${cls[i]}>${esc(Array.isArray(h) ? h[0] : h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls[i]}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** "Showing the first 1,000 of 12,345." when a list was cut. */
function shown(list: Listing<unknown>, what: string): string {
  return list.rows.length < list.total ? `<p class="note">Showing the first ${int(list.rows.length)} ${what} of ${int(list.total)}.</p>` : '';
}

function section(id: string, title: string, note: string, body: string): string {
  return `<section id="${id}" class="card"><h2>${esc(title)}</h2>${note ? `<p class="note">${note}</p>` : ''}\n${body}\n</section>`;
}

function stat(key: string, label: string, value: string, sub: string, tone = ''): string {
  return `<div class="stat ${tone}" data-stat="${key}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${sub}</div></div>`;
}

function stats(d: ReportData): string {
  const kind = (k: string) => d.kinds.find((x) => x.kind === k) ?? { kind: k, files: 0, bytes: 0 };
  const { firstTaken: first, lastTaken: last } = d.totals;
  const years = first && last ? [first.getUTCFullYear(), last.getUTCFullYear()] : null;
  const extra = d.kinds.filter((k) => !['photo', 'video', 'other'].includes(k.kind));
  const other = [kind('other'), ...extra].reduce((a, k) => ({ files: a.files + k.files, bytes: a.bytes + k.bytes }), { files: 0, bytes: 0 });
  const withoutSidecar = d.totals.files - d.totals.withSidecar;
  const extraCopies = d.duplicates.files - d.duplicates.total;
  return [
    stat('files', 'Files', int(d.totals.files), `${esc(formatBytes(d.totals.bytes))} in all`),
    stat('bytes', 'Size', formatBytes(d.totals.bytes), `${int(d.totals.bytes)} bytes`),
    stat('photos', 'Photos', int(kind('photo').files), esc(formatBytes(kind('photo').bytes))),
    stat('videos', 'Videos', int(kind('video').files), esc(formatBytes(kind('video').bytes))),
    stat('other', 'Other files', int(other.files), esc(formatBytes(other.bytes))),
    stat(
      'taken',
      'Taken',
      years ? (years[0] === years[1] ? String(years[0]) : `${years[0]}–${years[1]}`) : 'none',
      first && last ? `<span class="nowrap">${day(first)}</span> to <span class="nowrap">${day(last)}</span>` : 'no file has a date',
    ),
    stat('undated', 'Without a date', int(d.undated.total), d.undated.total ? 'not in the monthly chart' : 'every file has one', d.undated.total ? 'warn' : ''),
    // files (not JSON files) on both sides of the sub-line: an edit and its original, or a live
    // photo's two halves, share one sidecar
    stat('with-sidecar', 'With a sidecar', int(d.totals.withSidecar), `${plural(withoutSidecar, 'file')} without one; ${plural(d.sidecars.matched, 'sidecar')} paired`),
    stat('sidecars-unmatched', 'Sidecars unmatched', int(d.sidecars.unmatched), 'media sidecars no file was paired with', d.sidecars.unmatched ? 'warn' : ''),
    stat('geotagged', 'Geotagged', int(d.geo.files), `${int(d.geo.fromExif)} from EXIF, ${int(d.geo.fromSidecar)} from sidecars`),
    stat('duplicates', 'Duplicate groups', int(d.duplicates.total), `${esc(formatBytes(d.duplicates.wastedBytes))} in ${plural(extraCopies, 'extra copy', 'extra copies')}`, d.duplicates.total ? 'warn' : ''),
    stat('errors', 'Errors', int(d.errors.total), d.errors.byStage.map((s) => `${int(s.count)} ${esc(s.stage)}`).join(', ') || 'none', d.errors.total ? 'bad' : ''),
  ].join('\n');
}

/** Consecutive months as bars; a month without files between two bars leaves a gap. */
function monthBars(months: MonthCount[]): StackedBar[] {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return months.map((m, i) => ({
    key: m.month,
    label: MONTHS[Number(m.month.slice(5, 7)) - 1] ?? m.month,
    group: m.month.slice(0, 4),
    values: [m.photos, m.videos, m.other],
    title: `${m.month}: ${plural(m.files, 'file')} (${plural(m.photos, 'photo')}, ${plural(m.videos, 'video')}, ${int(m.other)} other), ${formatBytes(m.bytes)}`,
    gapBefore: i > 0 && index(m.month) - index(months[i - 1]!.month) > 1,
  }));
}

function months(d: ReportData): string {
  const m = d.perMonth;
  if (m.length === 0) return section('months', 'Photos and videos per month', '', none('no file has a date.'));
  const dated = m.reduce((a, x) => a + x.files, 0);
  const legend = [['Photos', 0], ['Videos', 1], ...(m.some((x) => x.other) ? [['Other', 2] as const] : [])]
    .map(([name, i]) => `<span><i class="swatch series-${i}"></i>${name}</span>`)
    .join('');
  const note =
    `${plural(dated, 'dated file')} in ${plural(m.length, 'month')}, ${esc(m[0]!.month)} to ${esc(m[m.length - 1]!.month)} (UTC).` +
    (d.undated.total ? ` ${plural(d.undated.total, 'file')} without a date ${d.undated.total === 1 ? 'is' : 'are'} not shown.` : '');
  const rows = m.map((x) => [esc(x.month), int(x.photos), int(x.videos), int(x.other), int(x.files), esc(formatBytes(x.bytes))]);
  const body =
    `<div class="legend">${legend}</div>\n` +
    stackedBars(monthBars(m), { label: 'Files per month, stacked by kind', className: 'bars months' }) +
    `\n<details><summary>As a table</summary>${table(['Month', ['Photos', 'num'], ['Videos', 'num'], ['Other', 'num'], ['Files', 'num'], ['Size', 'num']], rows)}</details>`;
  return section('months', 'Photos and videos per month', note, body);
}

function cameras(d: ReportData): string {
  const c = d.cameras;
  if (c.total === 0) return section('cameras', 'Cameras', '', none('no file names a camera make or model in its EXIF.'));
  const max = Math.max(...c.rows.map((x) => x.files));
  const rows = c.rows.map((x) => [
    esc(cameraName(x.make, x.model)),
    `<span class="count">${int(x.files)}</span><span class="meter"><span style="width:${((100 * x.files) / max).toFixed(1)}%"></span></span>`,
    esc(day(x.first)),
    esc(day(x.last)),
  ]);
  const note = `${plural(c.total, 'camera')} in EXIF make and model, by files.`;
  return section('cameras', 'Cameras', note, table(['Camera', ['Files', 'grow'], ['First', 'nowrap'], ['Last', 'nowrap']], rows) + shown(c, 'cameras'));
}

function places(d: ReportData): string {
  const p = d.places;
  if (p.total === 0) return section('places', 'Places', '', none('no file has GPS coordinates, in EXIF or in its sidecar.'));
  const points = p.rows.map((x) => ({
    lat: x.lat,
    lon: x.lon,
    weight: x.files,
    title: `${placeName(x)}: ${plural(x.files, 'file')}${x.first ? `, ${day(x.first)}` : ''}${x.last && day(x.last) !== day(x.first) ? ` to ${day(x.last)}` : ''} (${x.example})`,
  }));
  const note =
    `${plural(d.geo.files, 'geotagged file')} at ${plural(p.total, 'place')} (coordinates rounded to 0.01°; ` +
    `the file's GPS tags, else its sidecar's). Hover a dot for its files.`;
  const top = p.rows.slice(0, 8).map((x) => [
    esc(placeName(x)),
    int(x.files),
    day(x.first) === day(x.last) ? esc(day(x.first)) : `${esc(day(x.first))} to<br>${esc(day(x.last))}`,
    `<span class="path" title="${esc(x.example)}">${esc(x.example.slice(x.example.lastIndexOf('/') + 1))}</span>`,
  ]);
  const region = mainRegion(points);
  const zoom = region
    ? `<h3>Closer: where most of them were taken</h3>` +
      worldMap(points, { label: 'Map of the region with most geotagged files', bounds: region, className: 'map zoom' })
    : '';
  const body =
    worldMap(points, { label: 'Map of geotagged places', className: 'map world' }) +
    zoom +
    `<h3>Most photographed places</h3>` +
    table([['Place', 'nowrap'], ['Files', 'num'], ['Taken', 'nowrap'], 'For example'], top) +
    shown(p, 'places on the map');
  return section('places', 'Places', note, body);
}

function duplicates(d: ReportData, multiRoot: boolean): string {
  const g = d.duplicates;
  if (g.total === 0) return section('duplicates', 'Duplicates', '', none('no two files have the same CRC-32 and size.'));
  const rows = g.rows.map((x, i) => [
    int(i + 1),
    int(x.copies),
    esc(formatBytes(x.size)),
    esc(formatBytes(x.wastedBytes)),
    `<code>${x.crc32.toString(16).padStart(8, '0')}</code>`,
    `<ul class="paths">${x.files.map((f) => `<li>${path(f, multiRoot)}</li>`).join('')}${x.copies > x.files.length ? `<li class="more">and ${int(x.copies - x.files.length)} more</li>` : ''}</ul>`,
  ]);
  const note =
    `${plural(g.total, 'group')} of files with the same CRC-32 and size: ${plural(g.files, 'file')}, ` +
    `of which ${plural(g.files - g.total, 'extra copy', 'extra copies')} take ${esc(formatBytes(g.wastedBytes))}. ` +
    `Albums in a Takeout hold copies of the year folders' files, so many of these are expected.`;
  return section(
    'duplicates',
    'Duplicates',
    note,
    table(['#', ['Copies', 'num'], ['Size', 'num'], ['Wasted', 'num'], 'CRC-32', 'Files'], rows) + shown(g, 'groups (the most bytes first)'),
  );
}

function undated(d: ReportData, multiRoot: boolean): string {
  const u = d.undated;
  if (u.total === 0) return section('undated', 'Files without a date', '', none('every file has a capture date.'));
  const rows = u.rows.map((x) => [path(x, multiRoot), esc(x.kind), esc(formatBytes(x.size)), esc(day(x.mtime))]);
  const note = `Neither EXIF nor a sidecar gives ${u.total === 1 ? 'this file' : `these ${int(u.total)} files`} a capture date.`;
  return section('undated', 'Files without a date', note, table(['File', 'Kind', ['Size', 'num'], ['Modified', 'nowrap']], rows) + shown(u, 'files'));
}

function unmatched(d: ReportData, multiRoot: boolean): string {
  const u = d.unmatchedSidecars;
  if (u.total === 0) return section('unmatched', 'Unmatched sidecars', '', none('every media sidecar was paired with a file.'));
  const rows = u.rows.map((x) => [path(x, multiRoot), x.title === null ? '<span class="dim">no title</span>' : esc(x.title)]);
  const note = `Media sidecars (JSON) that no file was paired with: the file may be missing from the export.`;
  return section('unmatched', 'Unmatched sidecars', note, table(['Sidecar', 'Title'], rows) + shown(u, 'sidecars'));
}

function errors(d: ReportData): string {
  const e = d.errors;
  if (e.total === 0) return section('errors', 'Errors', '', none('every file was read without a problem.'));
  const rows = e.rows.map((x) => [
    `<span class="path">${esc(x.root)}</span>`,
    path({ root: x.root, path: x.path }),
    `<span class="badge">${esc(x.stage)}</span>`,
    `<span class="message" title="${esc(minute(x.at))}">${esc(x.message)}</span>`,
  ]);
  const note = `Files that could not be read or parsed; each still has its row where it could be given one.`;
  return section('errors', 'Errors', note, table(['Root', 'Path', 'Stage', 'Message'], rows) + shown(e, 'errors'));
}

function header(d: ReportData, o: RenderOptions): string {
  const run = d.runs.last;
  const facts = [
    `Database <code>${esc(o.db)}</code>`,
    d.roots.length ? `${d.roots.length === 1 ? 'root' : 'roots'} ${d.roots.map((r) => `<code>${esc(r)}</code>`).join(', ')}` : '',
    run ? `last run ${esc(minute(run.finishedAt ?? run.startedAt))} (${esc(run.pipeline)}, ${esc(run.status)}) of ${plural(d.runs.count, 'run')}` : 'no run recorded',
  ].filter(Boolean);
  const nav = [
    ['months', 'Per month'],
    ['cameras', 'Cameras'],
    ['places', 'Places'],
    ['duplicates', `Duplicates (${int(d.duplicates.total)})`],
    ['undated', `Undated (${int(d.undated.total)})`],
    ['unmatched', `Unmatched sidecars (${int(d.unmatchedSidecars.total)})`],
    ['errors', `Errors (${int(d.errors.total)})`],
  ]
    .map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`)
    .join('');
  return `<header><h1>Photo library report</h1><p class="facts">${facts.join(' · ')}</p><nav>${nav}</nav></header>`;
}

/** The whole report page for `data`. */
export function renderReport(data: ReportData, opts: RenderOptions): string {
  const multiRoot = data.roots.length > 1;
  const name = opts.db.split(/[\\/]/).pop() || opts.db;
  const empty =
    data.totals.files === 0
      ? `<p class="banner">This database holds no media files yet. Scan a library into it first: <code>shoebox run takeout --root DIR --db ${esc(opts.db)}</code></p>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="shoebox">
<title>${esc(`shoebox report: ${name}`)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<main>
${header(data, opts)}
${empty}
<div class="stats">
${stats(data)}
</div>
${months(data)}
<div class="cols">
${cameras(data)}
${places(data)}
</div>
${duplicates(data, multiRoot)}
<div class="cols">
${undated(data, multiRoot)}
${unmatched(data, multiRoot)}
</div>
${errors(data)}
<footer>Generated by shoebox on ${esc(minute(opts.generatedAt))}. Times are UTC. This page is self-contained: it loads nothing from the network.</footer>
</main>
</body>
</html>
`;
}

const CSS = `
:root{--bg:#f5f6f8;--card:#fff;--text:#1c2330;--muted:#626d7e;--line:#e3e6eb;--s0:#3767d6;--s1:#e8833a;--s2:#9aa4b3;
--land:#dde2e9;--sea:#f6f8fb;--warn:#b54708;--warn-bg:#fffaf5;--bad:#c0262d;--bad-bg:#fff6f5;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#101318;--card:#181d24;--text:#e5e8ed;--muted:#9aa3b2;--line:#2a313b;--s0:#7aa2f7;
--s1:#f0a35e;--s2:#6b7585;--land:#2e3541;--sea:#151a20;--warn:#f0a35e;--warn-bg:#1f1a14;--bad:#f2777c;--bad-bg:#221517}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 24px 40px}
code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:17px;margin:0 0 2px}
h3{font-size:14px;margin:16px 0 4px}
.facts{color:var(--muted);margin:0 0 12px;font-size:13.5px;overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:18px}
nav a{color:var(--text);text-decoration:none;font-size:13px;padding:3px 10px;border:1px solid var(--line);border-radius:999px;background:var(--card)}
nav a:hover{border-color:var(--s0)}
.banner{background:var(--warn-bg);border:1px solid var(--warn);border-radius:10px;padding:10px 14px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;min-width:0}
.stat .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.stat .value{font-size:26px;font-weight:650;line-height:1.25;font-variant-numeric:tabular-nums;white-space:nowrap}
.stat .sub{font-size:12.5px;color:var(--muted)}
.stat.warn .value{color:var(--warn)}
.stat.bad{background:var(--bad-bg);border-color:var(--bad)}.stat.bad .value{color:var(--bad)}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:0 16px;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin-top:16px;min-width:0}
.note{color:var(--muted);font-size:13.5px;margin:0 0 10px}
.none{color:var(--muted);margin:6px 0 0}
.dim{color:var(--muted)}
.scroll{max-height:460px;overflow:auto}
table{width:100%;border-collapse:collapse;font-size:13.5px}
th{position:sticky;top:0;background:var(--card);text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em;border-bottom:1px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}.grow{width:30%}
.path{overflow-wrap:break-word}.path .dir{color:var(--muted)}
ul.paths{margin:0;padding:0;list-style:none}ul.paths li+li{margin-top:2px}
.count{display:inline-block;min-width:2.5em;font-variant-numeric:tabular-nums}
.meter{display:inline-block;vertical-align:middle;width:calc(100% - 3em);min-width:60px;height:8px;background:var(--line);border-radius:4px;overflow:hidden}
.meter>span{display:block;height:100%;background:var(--s0)}
.badge{display:inline-block;padding:0 8px;border-radius:999px;background:var(--line);font-size:12px}
.message{overflow-wrap:anywhere;white-space:pre-wrap}
details{margin-top:8px}summary{cursor:pointer;color:var(--muted);font-size:13.5px}
.legend{display:flex;gap:16px;font-size:13px;color:var(--muted);margin-bottom:4px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.swatch.series-0{background:var(--s0)}.swatch.series-1{background:var(--s1)}.swatch.series-2{background:var(--s2)}
svg{display:block;width:100%;height:auto}
svg text{fill:var(--muted);font-size:11px;font-family:inherit}
svg text.value{fill:var(--text);font-size:10.5px}svg text.group{fill:var(--text);font-weight:600}
svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted)}
svg .series-0{fill:var(--s0)}svg .series-1{fill:var(--s1)}svg .series-2{fill:var(--s2)}
svg .bar:hover rect{opacity:.8}
.map{border-radius:8px;border:1px solid var(--line)}
.map .sea{fill:var(--sea)}.map .land{fill:var(--land)}
.map .graticule{stroke:var(--line);stroke-width:.6}.map .equator{stroke-dasharray:4 3}
.map .place{fill:var(--s0);fill-opacity:.5;stroke:var(--s0);stroke-width:1}.map .place:hover{fill-opacity:.9}
footer{color:var(--muted);font-size:12.5px;margin-top:20px;text-align:center}
`.trim();
