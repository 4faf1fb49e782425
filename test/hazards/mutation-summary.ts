/**
 * Writes docs/mutation/summary.md from the Stryker JSON reports in docs/mutation/ (one per group, or
 * mutation.json for a whole run): the score per file and every surviving or uncovered mutant.
 *
 *   npx tsx test/hazards/mutation-summary.ts
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'docs/mutation');

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const GROUP_ORDER = ['clamps', 'machine', 'criterion', 'decoder', 'mutation'];
const reports = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .filter((g) => GROUP_ORDER.includes(g))
  .sort((a, b) => GROUP_ORDER.indexOf(a) - GROUP_ORDER.indexOf(b));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows: string[] = [];
const survivors: string[] = [];
const totals = { detected: 0, undetected: 0, timeout: 0, ignored: 0 };
const seen = new Set<string>();
for (const group of reports) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, `${group}.json`), 'utf8')) as Report;
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    if (seen.has(file)) continue;
    seen.add(file);
    const lines = source.split('\n');
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status));
    const timeouts = mutants.filter((m) => m.status === 'Timeout').length;
    const ignored = mutants.length - detected - undetected.length;
    totals.detected += detected;
    totals.undetected += undetected.length;
    totals.timeout += timeouts;
    totals.ignored += ignored;
    const score = detected + undetected.length ? ((100 * detected) / (detected + undetected.length)).toFixed(2) : 'n/a';
    rows.push(
      `| ${group} | \`${file}\` | ${score} | ${detected - timeouts} | ${timeouts} | ${undetected.filter((m) => m.status === 'Survived').length} | ${undetected.filter((m) => m.status === 'NoCoverage').length} | ${ignored} |`,
    );
    for (const m of undetected.sort(
      (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
    )) {
      const { line, column } = m.location.start;
      const original = (lines[line - 1] ?? '').trim();
      survivors.push(
        `- \`${file}:${line}:${column}\` ${m.status} ${m.mutatorName}: \`${original.slice(0, 140)}\` → \`${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}\``,
      );
    }
  }
}
const all = totals.detected + totals.undetected;
const doc = `# Mutation testing of the safety core

StrykerJS 9.6 with the vitest runner (\`npm run mutation\`; one group: \`MUTATION_GROUP=clamps npm run mutation\`),
configuration \`stryker.config.mjs\`, tests restricted by \`test/hazards/mutation.vitest.config.ts\`.
Reports read: ${reports.map((g) => `\`${g}.json\``).join(', ')} (HTML beside them). This file is written by
\`npx tsx test/hazards/mutation-summary.ts\`; why each remaining mutant survives is in docs/HAZARDS.md
("Surviving mutants").

Score = detected / (detected + survived + no coverage); a timeout (the mutant made a loop endless)
counts as detected. Static mutants (module-level constants) are not run (\`ignoreStatic\`).

**Total: ${all ? ((100 * totals.detected) / all).toFixed(2) : 'n/a'}%** (${totals.detected} detected of which ${totals.timeout} by timeout, ${totals.undetected} undetected, ${totals.ignored} ignored/static/errors).

| group | file | score % | killed | timeout | survived | no coverage | not run |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

## Undetected mutants

${survivors.length ? survivors.join('\n') : 'None.'}
`;
fs.writeFileSync(path.join(dir, 'summary.md'), doc);
process.stdout.write(`${doc.split('\n').slice(0, 20).join('\n')}\n`);
