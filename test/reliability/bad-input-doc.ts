/**
 * Renders docs/BAD-INPUT.md from the catalogue table. `npx tsx test/reliability/bad-input-doc.ts`
 * rewrites the doc; bad-input-catalogue.test.ts fails while the doc differs from this rendering.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BAD_INPUT, CLASSES, SURFACES, type BadInputRow } from './bad-input-table.js';

export const DOC_PATH = 'docs/BAD-INPUT.md';
export const TEST_FILE = 'test/reliability/bad-input-catalogue.test.ts';

/** The test's name for a row; the doc names it, so each row points at the test that backs it. */
export const rowTestName = (row: BadInputRow, index: number): string =>
  `BI-${String(index + 1).padStart(2, '0')} ${row.surface} / ${row.kind}: ${row.input}`;

/** One table cell: pipes escaped, a line break shown as ⏎, other control characters as \uXXXX. */
const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    // eslint-disable-next-line no-control-regex -- control characters are what it escapes
    .replace(/[\u0000-\u001f]/g, (c) => (c === '\n' ? ' ⏎ ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function renderCatalogue(rows: readonly BadInputRow[] = BAD_INPUT): string {
  const out: string[] = [
    '# Bad-input catalogue',
    '',
    'What a person (or, for protocol lines, the other end of the cable) gets back for each kind of bad',
    'input on each input surface. Generated from `test/reliability/bad-input-table.ts` by',
    '`npx tsx test/reliability/bad-input-doc.ts`; every row is run by the test named in its last column',
    `(in \`${TEST_FILE}\`), which also fails when this file is out of date. \`<tmp>\` stands for the`,
    'scratch directory the test used. Exit codes: 0 done (refusals reported), 1 the input or the data',
    'was refused (a wrong value included), 2 a usage mistake (unknown or missing option, options that',
    'exclude each other; `scs script` also uses 2 for a script it refuses).',
    '',
    'Surfaces: CLI flags (`scs diary …`, `scs audit …`), CSV imports (`scs diary import`, `scs cohort',
    'report --file`), protocol lines (what the generator answers a companion line, and what the',
    "companion's link does with a generator line), UI fields (the bedside UI's text fields: diary NRS and",
    'PDI, port path, baud rate), script files (`scs script FILE`).',
    '',
  ];
  const counts = SURFACES.map((s) => `${s} ${rows.filter((r) => r.surface === s).length}`).join(', ');
  out.push(`${rows.length} rows: ${counts}.`, '');
  for (const surface of SURFACES) {
    out.push(`## ${surface}`, '', '| class | input | what comes back | test |', '|---|---|---|---|');
    rows.forEach((row, i) => {
      if (row.surface !== surface) return;
      out.push(`| ${row.kind} | ${cell(row.input)} | ${code(cell(row.expected))} | ${cell(rowTestName(row, i))} |`);
    });
    const missing = CLASSES.filter((k) => !rows.some((r) => r.surface === surface && r.kind === k));
    if (missing.length) out.push('', `Not covered for ${surface}: ${missing.join(', ')}.`);
    out.push('');
  }
  out.push(
    '## Known gaps (reported, not yet fixed)',
    '',
    '- A repeated CLI flag (`--nrs 5 --nrs 6`) is accepted and the last value wins (node:util parseArgs',
    '  behaviour); no command refuses repeats yet.',
    '- The UI baud-rate field accepts any digits (0 included); the error comes only when connecting.',
    '',
  );
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(DOC_PATH), { recursive: true });
  fs.writeFileSync(DOC_PATH, renderCatalogue());
  console.log(`wrote ${DOC_PATH} (${BAD_INPUT.length} rows)`);
  process.exit(0);
}
