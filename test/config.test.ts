import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfig, type LoadOptions } from '../src/pipelines/config.js';
import { formatIssue, type Config } from '../src/pipelines/spec.js';
import { suggest } from '../src/pipelines/suggest.js';

const SHIPPED = path.resolve(import.meta.dirname, '..', 'pipelines.yaml');
const dir = mkdtempSync(path.join(os.tmpdir(), 'shoebox-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` to a fresh temp file and loads it; `F` in expectations stands for that file. */
async function load(text: string, opts: Omit<LoadOptions, 'file'> = {}) {
  const file = path.join(dir, `case-${++counter}.yaml`);
  writeFileSync(file, text);
  const result = await loadConfig({ env: {}, cpus: 4, ...opts, file });
  return { file, result };
}

async function issuesOf(text: string, opts: Omit<LoadOptions, 'file'> = {}): Promise<string[]> {
  const { file, result } = await load(text, opts);
  if (result.ok) return [];
  return result.issues.map((i) => formatIssue(i).replace(file, 'F'));
}

async function configOf(text: string, opts: Omit<LoadOptions, 'file'> = {}): Promise<Config> {
  const { result } = await load(text, opts);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.config;
}

/** A valid file the --set cases start from. */
const GOOD = `defaults:
  concurrency: { io: 16, cpu: auto }
  batch: { size: 500, flushMs: 1000 }
pipelines:
  takeout:
    description: test
    source: { walk: { roots: [photos] } }
    stages: [sidecar, fingerprint, { exif: { tags: default } }]
    sink: { duckdb: { path: shoebox.duckdb, table: media } }
    then: [summary]
queries:
  summary: SELECT count(*) FROM media
`;

describe('the shipped pipelines.yaml', () => {
  it('validates and resolves', async () => {
    const result = await loadConfig({ file: SHIPPED, env: {}, cpus: 4 });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    if (!result.ok) return;
    expect(result.config.pipelines.takeout).toEqual({
      name: 'takeout',
      description: 'Google Photos Takeout -> DuckDB (sidecars, CRC-32, MIME, EXIF)',
      source: { walk: { roots: ['examples/takeout'], followSymlinks: false, exclude: [] } },
      stages: [
        { name: 'sidecar', options: {} },
        { name: 'fingerprint', options: { crc: true, mime: true } },
        { name: 'exif', options: { tags: 'default', geolocation: false, filesPerRequest: 50, native: true } },
      ],
      sink: { kind: 'duckdb', path: 'shoebox.duckdb', table: 'media', partitionBy: [], compression: 'zstd' },
      then: ['summary'],
      concurrency: { io: 16, cpu: 4 },
      batch: { size: 5000, flushMs: 1000 },
    });
    expect(result.config.queries.summary!.sql).toMatch(/^SELECT kind/);
    expect(result.config.queries.summary!.description).toBe('Files, bytes, sidecars and errors by kind');
  });

  it('is the default when the working directory has its own pipelines.yaml', () => {
    expect(existsSync(defaultConfigPath())).toBe(true);
    expect(path.basename(defaultConfigPath())).toBe('pipelines.yaml');
  });
});

describe('faults', () => {
  const cases: [string, string, Omit<LoadOptions, 'file'>, string[]][] = [
    [
      'misspelt sink',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages: [sidecar]
    sink: { duckbd: { path: x.duckdb } }
`,
      {},
      ['F:5:13 pipelines.takeout.sink: unknown sink "duckbd" (did you mean "duckdb"?)'],
    ],
    [
      'sink that is not a mapping',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages: [sidecar]
    sink: duckdb
`,
      {},
      ['F:5:11 pipelines.takeout.sink: must be a mapping of one sink (duckdb, parquet, csv or jsonl) to its options, got "duckdb"'],
    ],
    [
      'misspelt stages, as a name and as a key with options',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages:
      - sidecar
      - fingerprnt
      - exfi: { tags: all }
      - 42
    sink: { duckdb: { path: x.duckdb } }
`,
      {},
      [
        'F:6:9 pipelines.takeout.stages[1]: unknown stage "fingerprnt" (did you mean "fingerprint"?)',
        'F:7:9 pipelines.takeout.stages[2]: unknown stage "exfi" (did you mean "exif"?)',
        'F:8:9 pipelines.takeout.stages[3]: must be a stage name (sidecar, fingerprint or exif) or a mapping of one stage name to its options, got 42',
      ],
    ],
    [
      'unknown keys at several depths',
      `defaults:
  batch: { size: 500, flushMS: 1000 }
pipelines:
  takeout:
    source: { walk: { roots: [photos], folowSymlinks: true } }
    stagse: [sidecar, { fingerprint: { crc: true, sha: true } }]
    sink: { duckdb: { path: x.duckdb, tabel: media } }
querys: {}
`,
      {},
      [
        'F:2:23 defaults.batch: unknown key "flushMS" (did you mean "flushMs"?)',
        'F:5:40 pipelines.takeout.source.walk: unknown key "folowSymlinks" (did you mean "followSymlinks"?)',
        'F:6:5 pipelines.takeout: unknown key "stagse" (did you mean "stages"?)',
        'F:7:39 pipelines.takeout.sink.duckdb: unknown key "tabel" (did you mean "table"?)',
        'F:8:1 unknown key "querys" (did you mean "queries"?)',
      ],
    ],
    [
      'unknown stage option',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages:
      - exif: { tagz: all }
      - fingerprint:
          crc: true
          mine: false
    sink: { duckdb: { path: x.duckdb } }
`,
      {},
      [
        'F:5:17 pipelines.takeout.stages[0].exif: unknown key "tagz" (did you mean "tags"?)',
        'F:8:11 pipelines.takeout.stages[1].fingerprint: unknown key "mine" (did you mean "mime"?)',
      ],
    ],
    [
      'wrong types',
      `defaults:
  concurrency: { io: 0, cpu: lots }
  batch:
    size: ten
    flushMs: 1.5
pipelines:
  takeout:
    source: { walk: { roots: photos, followSymlinks: yes } }
    stages: [sidecar, { exif: { tags: everything, filesPerRequest: 0 } }]
    sink: { parquet: { path: out, partitionBy: [year, 3], compression: zstdd } }
    then: summary
`,
      {},
      [
        'F:2:22 defaults.concurrency.io: must be an integer ≥ 1, got 0',
        'F:2:30 defaults.concurrency.cpu: must be an integer ≥ 1 or "auto", got "lots"',
        'F:4:11 defaults.batch.size: must be an integer ≥ 1, got "ten"',
        'F:5:14 defaults.batch.flushMs: must be an integer ≥ 0, got 1.5',
        'F:8:30 pipelines.takeout.source.walk.roots: must be a list of folder paths, got "photos"',
        'F:8:54 pipelines.takeout.source.walk.followSymlinks: must be true or false, got "yes"',
        'F:9:39 pipelines.takeout.stages[1].exif.tags: must be "default", "all" or a list of tag names, got "everything"',
        'F:9:68 pipelines.takeout.stages[1].exif.filesPerRequest: must be an integer ≥ 1, got 0',
        'F:10:55 pipelines.takeout.sink.parquet.partitionBy[1]: must be a column name, got 3',
        'F:10:72 pipelines.takeout.sink.parquet.compression: must be "zstd", "snappy", "gzip", "brotli", "lz4", "lz4_raw", "uncompressed" or "none", got "zstdd" (did you mean "zstd"?)',
        'F:11:11 pipelines.takeout.then: must be a list of query names, got "summary"',
      ],
    ],
    [
      'an empty value, and a close miss on a fixed word',
      `defaults:
  batch:
    size:
pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages: [{ exif: { tags: defualt } }]
    sink: { duckdb: { path: x.duckdb } }
`,
      {},
      [
        'F:3:5 defaults.batch.size: must be an integer ≥ 1, got nothing',
        'F:7:30 pipelines.takeout.stages[0].exif.tags: must be "default", "all" or a list of tag names, got "defualt" (did you mean "default"?)',
      ],
    ],
    [
      'a YAML syntax error',
      `pipelines:
  takeout:
    stages: [sidecar, fingerprint
    sink: { duckdb: { path: x } }
`,
      {},
      ['F:3:13 invalid YAML: this [ is not closed: a flow sequence must end with ] before line 4, column 5'],
    ],
    [
      'an unclosed { is placed at the bracket, not where the text went on without it',
      `pipelines:
  takeout:
    source: { walk: { roots: [a] }
    stages: [sidecar]
`,
      {},
      ['F:3:13 invalid YAML: this { is not closed: a flow map must end with } before line 4, column 5'],
    ],
    [
      'a ] that closes the wrong bracket: both openers named',
      `pipelines:
  takeout:
    stages: [sidecar, {exif: {tags: default}]
    sink: x
`,
      {},
      [
        'F:3:13 invalid YAML: this [ is not closed: a flow sequence must end with ] before line 4, column 4',
        'F:3:23 invalid YAML: this { is not closed: a flow map must end with } before line 3, column 45',
      ],
    ],
    [
      'a closing ] indented less than its key',
      `pipelines:
  takeout:
    stages: [sidecar,
      fingerprint,
  ]
`,
      {},
      ['F:5:3 invalid YAML: this ] closes the [ at line 3, column 13 but is not indented past the key it belongs to: indent it further'],
    ],
    [
      'brackets in quotes and block scalars are not brackets',
      `queries:
  q: |
    SELECT '{' AS a
pipelines: { takeout: { description: "x [y", stages: [a
`,
      {},
      [
        'F:4:12 invalid YAML: this { is not closed: a flow map must end with } before line 5, column 1',
        'F:4:23 invalid YAML: this { is not closed: a flow map must end with } before line 5, column 1',
        'F:4:54 invalid YAML: this [ is not closed: a flow sequence must end with ] before line 5, column 1',
      ],
    ],
    [
      'a duplicate key',
      `pipelines:
  takeout:
    source: { walk: { roots: [a] } }
    stages: []
    stages: [sidecar]
    sink: { duckdb: { path: x } }
`,
      {},
      ['F:5:5 invalid YAML: Map keys must be unique: "stages" is given twice'],
    ],
    [
      'unset environment variables without a default',
      `pipelines:
  takeout:
    source: { walk: { roots: ["\${PHOTOS}", "\${TAKEOUT_DIR:-examples/takeout}"] } }
    stages: []
    sink: { duckdb: { path: "db/\${DB}.duckdb" } }
    batch:
      size: \${BATCH}
`,
      { env: { HOME: '/home/me' } },
      [
        'F:3:32 pipelines.takeout.source.walk.roots[0]: environment variable PHOTOS is not set (set it, or write ${PHOTOS:-default})',
        'F:5:33 pipelines.takeout.sink.duckdb.path: environment variable DB is not set (set it, or write ${DB:-default})',
        'F:7:13 pipelines.takeout.batch.size: environment variable BATCH is not set (set it, or write ${BATCH:-default})',
      ],
    ],
    [
      'a malformed reference',
      `pipelines:
  takeout:
    source: { walk: { roots: ["\${TAKEOUT DIR}", "\${OPEN"] } }
    stages: []
    sink: { duckdb: { path: x } }
`,
      {},
      [
        'F:3:32 pipelines.takeout.source.walk.roots[0]: malformed "${TAKEOUT DIR}": expected ${NAME} or ${NAME:-default}',
        'F:3:50 pipelines.takeout.source.walk.roots[1]: unterminated "${" (write "$${" for a literal "${")',
      ],
    ],
    [
      'then: naming an unknown query',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages: [sidecar]
    sink: { duckdb: { path: x.duckdb } }
    then: [summary, sumary, totals]
queries:
  summary: SELECT 1
`,
      {},
      [
        'F:6:21 pipelines.takeout.then[1]: unknown query "sumary" (did you mean "summary"?)',
        'F:6:29 pipelines.takeout.then[2]: unknown query "totals" (queries: summary)',
      ],
    ],
    [
      'a fault inside a shared anchor, once per pipeline that merges it',
      `x-common: &common
  source: { walk: { roots: [shared], folow: true } }
  stages: [sidecar]
  sink: { duckdb: { path: x.duckdb } }
pipelines:
  a: { <<: *common }
  b:
    <<: *common
`,
      {},
      [
        'F:2:38 pipelines.a.source.walk: unknown key "folow" (did you mean "followSymlinks"?)',
        'F:2:38 pipelines.b.source.walk: unknown key "folow" (did you mean "followSymlinks"?)',
      ],
    ],
    [
      'a stage listed twice',
      `pipelines:
  takeout:
    source: { walk: { roots: [photos] } }
    stages: [exif, sidecar, { exif: { tags: all } }]
    sink: { duckdb: { path: x.duckdb } }
`,
      {},
      ['F:4:29 pipelines.takeout.stages[2]: stage "exif" is already at stages[0]'],
    ],
    [
      'several faults at once, in file order, --set last',
      `defaults:
  batch: { size: 0 }
pipelines:
  takeout:
    descripton: all at once
    source: { walk: { roots: [] } }
    stages: [sidecar, fingerprnt]
    sink: { duckbd: { path: x.duckdb } }
    then: [nope]
  second:
    stages: [exif]
    sink: { csv: { path: out.csv, compression: gzip } }
queries:
  broken: { sql: 42 }
  fine: SELECT 1
`,
      { set: ['pipelines.second.batch.size=-1'] },
      [
        'F:2:18 defaults.batch.size: must be an integer ≥ 1, got 0',
        'F:5:5 pipelines.takeout: unknown key "descripton" (did you mean "description"?)',
        'F:6:30 pipelines.takeout.source.walk.roots: must list at least one root',
        'F:7:23 pipelines.takeout.stages[1]: unknown stage "fingerprnt" (did you mean "fingerprint"?)',
        'F:8:13 pipelines.takeout.sink: unknown sink "duckbd" (did you mean "duckdb"?)',
        'F:9:12 pipelines.takeout.then[0]: unknown query "nope" (queries: broken, fine)',
        'F:10:3 pipelines.second: missing required key "source"',
        'F:14:18 queries.broken.sql: must be an SQL string, got 42',
        '--set:1:29 pipelines.second.batch.size: must be an integer ≥ 1, got -1',
      ],
    ],
  ];

  it.each(cases)('%s', async (_name, text, opts, expected) => {
    expect(await issuesOf(text, opts)).toEqual(expected);
  });
});

describe('bad --set', () => {
  const cases: [string, string[], string[]][] = [
    ['no =', ['nope'], ['--set:1:1 expected key.path=value, got "nope"']],
    ['empty path', ['=5'], ['--set:1:1 expected a key path before "=", e.g. pipelines.takeout.batch.size=100']],
    ['empty key', ['pipelines..batch=1'], ['--set:1:11 empty key in "pipelines..batch"']],
    ['unknown key', ['pipelines.takeout.batch.sise=100'], ['--set:1:25 pipelines.takeout.batch: unknown key "sise" (did you mean "size"?)']],
    ['unknown pipeline', ['pipelines.takeot.batch.size=100'], ['--set:1:11 pipelines: unknown pipeline "takeot" (did you mean "takeout"?)']],
    ['unknown sink', ['pipelines.takeout.sink.duckbd.path=x'], ['--set:1:24 pipelines.takeout.sink: unknown sink "duckbd" (did you mean "duckdb"?)']],
    ['no such item', ['pipelines.takeout.stages[7]=exif'], ['--set:1:26 pipelines.takeout.stages: there is no item 7 (the list has 3)']],
    ['into a string', ['pipelines.takeout.description.text=x'], ['--set:1:31 pipelines.takeout.description: cannot set "text": the value here is "test", not a mapping']],
    ['wrong type', ['pipelines.takeout.batch.size=ten'], ['--set:1:30 pipelines.takeout.batch.size: must be an integer ≥ 1, got "ten"']],
    ['unknown stage in a list', ['pipelines.takeout.stages=[sidecar, exfi]'], ['--set:1:36 pipelines.takeout.stages[1]: unknown stage "exfi" (did you mean "exif"?)']],
    [
      'every one reported',
      ['defaults.batch.size=0', 'nope', 'pipelines.takeout.then=[summary, other]'],
      [
        '--set:1:21 defaults.batch.size: must be an integer ≥ 1, got 0',
        '--set:2:1 expected key.path=value, got "nope"',
        '--set:3:34 pipelines.takeout.then[1]: unknown query "other" (queries: summary)',
      ],
    ],
  ];

  it.each(cases)('%s', async (_name, set, expected) => {
    expect(await issuesOf(GOOD, { set })).toEqual(expected);
  });
});

describe('resolving', () => {
  it('interpolates set variables, defaults, empty ones and $${ escapes', async () => {
    const config = await configOf(
      `pipelines:
  takeout:
    source: { walk: { roots: ["\${PHOTOS}", "\${TAKEOUT_DIR:-examples/takeout}", "lit/$\${HOME}"] } }
    stages: []
    sink: { duckdb: { path: "\${DB:-shoebox.duckdb}" } }
    concurrency:
      io: \${IO:-8}
      cpu: "\${CPU:-auto}"
`,
      { env: { PHOTOS: '/p', DB: '', IO: '' } },
    );
    const p = config.pipelines.takeout!;
    expect(p.source.walk.roots).toEqual(['/p', 'examples/takeout', 'lit/${HOME}']);
    expect(p.sink.path).toBe('shoebox.duckdb');
    // Unquoted, the interpolated text is read as YAML would read it; quoted, it stays a string.
    expect(p.concurrency).toEqual({ io: 8, cpu: 4 });
    expect(await issuesOf(`defaults:\n  concurrency: { cpu: "\${CPU}" }\nqueries: { n: SELECT 1 }\n`, { env: { CPU: '3' } })).toEqual([
      'F:2:23 defaults.concurrency.cpu: must be an integer ≥ 1 or "auto", got "3"',
    ]);
  });

  it('applies --set overrides before validation', async () => {
    const config = await configOf(GOOD, {
      set: [
        'pipelines.takeout.batch.size=100',
        'defaults.concurrency.io=4',
        'pipelines.takeout.stages[1].fingerprint.crc=false',
        'pipelines.takeout.sink={ parquet: { path: out, partitionBy: year } }',
        'pipelines.takeout.description=Takeout: 2024',
        'queries.extra=SELECT 2',
      ],
    });
    const p = config.pipelines.takeout!;
    expect(p.batch).toEqual({ size: 100, flushMs: 1000 });
    expect(p.concurrency).toEqual({ io: 4, cpu: 4 });
    expect(p.stages[1]).toEqual({ name: 'fingerprint', options: { crc: false, mime: true } });
    expect(p.sink).toEqual({ kind: 'parquet', path: 'out', table: 'media', partitionBy: ['year'], compression: 'zstd' });
    expect(p.description).toBe('Takeout: 2024');
    expect(config.queries.extra).toEqual({ name: 'extra', description: '', sql: 'SELECT 2', params: {} });
  });

  it('applies --set through a << merge without changing the other pipelines that share it', async () => {
    const config = await configOf(
      `x-common: &common
  source: { walk: { roots: [shared] } }
  stages: [sidecar]
  sink: { duckdb: { path: x.duckdb } }
pipelines:
  a:
    <<: *common
  b:
    <<: *common
    batch: { size: 7 }
`,
      { set: ['pipelines.b.source.walk.roots=[mine]', 'pipelines.b.sink.duckdb.table=b'] },
    );
    expect(config.pipelines.a!.source.walk.roots).toEqual(['shared']);
    expect(config.pipelines.a!.sink.table).toBe('media');
    expect(config.pipelines.b!.source.walk.roots).toEqual(['mine']);
    expect(config.pipelines.b!.sink.table).toBe('b');
    expect(config.pipelines.b!.batch.size).toBe(7);
  });

  it('merges defaults into each pipeline and fills stage and sink defaults', async () => {
    const config = await configOf(`defaults:
  concurrency: { io: 6 }
  batch: { flushMs: 250 }
pipelines:
  small:
    source: { walk: { roots: [a, b], followSymlinks: true, exclude: [.git] } }
    stages: [{ sidecar: }, { fingerprint: { mime: false } }, { exif: { tags: [Make, Model], geolocation: true } }]
    sink: { csv: { path: out.csv, compression: gzip } }
    concurrency: { cpu: 2 }
    batch: { size: 10 }
queries:
  plain: SELECT 1
  rich:
    description: By year
    sql: SELECT * FROM media WHERE year = $year
    params: { year: 2020 }
  listed: { sql: SELECT $a, params: [a] }
`);
    expect(config.pipelines.small).toEqual({
      name: 'small',
      description: '',
      source: { walk: { roots: ['a', 'b'], followSymlinks: true, exclude: ['.git'] } },
      stages: [
        { name: 'sidecar', options: {} },
        { name: 'fingerprint', options: { crc: true, mime: false } },
        { name: 'exif', options: { tags: ['Make', 'Model'], geolocation: true, filesPerRequest: 50, native: true } },
      ],
      sink: { kind: 'csv', path: 'out.csv', table: 'media', partitionBy: [], compression: 'gzip' },
      then: [],
      concurrency: { io: 6, cpu: 2 },
      batch: { size: 10, flushMs: 250 },
    });
    expect(config.queries).toEqual({
      plain: { name: 'plain', description: '', sql: 'SELECT 1', params: {} },
      rich: { name: 'rich', description: 'By year', sql: 'SELECT * FROM media WHERE year = $year', params: { year: 2020 } },
      listed: { name: 'listed', description: '', sql: 'SELECT $a', params: { a: null } },
    });
  });

  it('uses the built-in defaults without a defaults: section, and the machine for cpu: auto', async () => {
    const config = await configOf(
      `pipelines:\n  p:\n    source: { walk: { roots: [a] } }\n    stages: [sidecar]\n    sink: { jsonl: { path: out.jsonl } }\n`,
      { cpus: undefined },
    );
    expect(config.pipelines.p!.concurrency).toEqual({ io: 16, cpu: os.availableParallelism() });
    expect(config.pipelines.p!.batch).toEqual({ size: 5000, flushMs: 1000 });
  });

  it('refuses an empty file, and one with nothing to run or query', async () => {
    expect(await issuesOf('')).toEqual([expect.stringMatching(/^F:1:1 the configuration is empty: it needs `pipelines:` \(named scans\) or `queries:`, as in \/.*pipelines\.yaml$/)]);
    expect(await issuesOf('# pipelines to come\n\n')).toEqual([expect.stringMatching(/^F:1:1 the configuration is empty: /)]);
    expect(await issuesOf('defaults:\n  batch: { size: 100 }\n')).toEqual([expect.stringMatching(/^F:1:1 the configuration defines no `pipelines:` and no `queries:`: /)]);
    // the shipped file the message points to is one that loads
    const shipped = /as in (\/.*pipelines\.yaml)$/.exec((await issuesOf(''))[0]!)![1]!;
    expect((await loadConfig({ file: shipped, env: {}, cpus: 4 })).ok).toBe(true);
    // a file of queries alone is enough for `shoebox query`
    expect(await issuesOf('queries:\n  n: SELECT count(*) FROM media\n')).toEqual([]);
  });

  it('reports a file it cannot read', async () => {
    const result = await loadConfig({ file: path.join(dir, 'missing.yaml') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issues[0]!)).toMatch(/missing\.yaml:1:1 cannot read the configuration: ENOENT/);
  });
});

describe('suggest', () => {
  it.each([
    ['stagse', ['stages', 'sink'], 'stages'],
    ['duckbd', ['duckdb', 'parquet', 'csv', 'jsonl'], 'duckdb'],
    ['fingerprnt', ['sidecar', 'fingerprint', 'exif'], 'fingerprint'],
    ['finger', ['sidecar', 'fingerprint', 'exif'], 'fingerprint'],
    ['Stages', ['stages'], 'stages'],
    ['folow', ['roots', 'followSymlinks', 'exclude'], 'followSymlinks'],
    ['io', ['cpu'], undefined],
    ['mysql', ['duckdb', 'parquet', 'csv', 'jsonl'], undefined],
  ])('%s -> %s', (word, candidates, expected) => {
    expect(suggest(word, candidates)).toBe(expected);
  });
});
