/**
 * BENCHMARKS.md mixes generated sections (between `<!-- bench:NAME:begin -->` and
 * `<!-- bench:NAME:end -->`) with prose written by hand around them. `--write` replaces only the
 * generated sections, so the analysis survives a rerun.
 */

const SKELETON = `# Benchmarks

How fast shoebox scans, measured by \`npm run bench\` (see src/bench/). The sections between the
\`bench:…\` markers are rewritten by \`npm run bench -- --write\`; the rest is written by hand.

## Latest run

## Where the time goes
`;

export function replaceSection(text: string, name: string, content: string): string {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${begin}\n${content.trimEnd()}\n${end}`;
  const doc = text.trim() === '' ? SKELETON : text;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) return doc.slice(0, from) + block + doc.slice(to + end.length);
  // No markers yet: under the heading the section belongs to, else at the end.
  const heading = name === 'results' ? '## Latest run\n' : name === 'profile' ? '## Where the time goes\n' : null;
  const at = heading ? doc.indexOf(heading) : -1;
  if (at >= 0) {
    const after = at + heading!.length;
    return `${doc.slice(0, after)}\n${block}\n${doc.slice(after)}`;
  }
  return `${doc.trimEnd()}\n\n${block}\n`;
}
