import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REMOVALS } from './removals.js';

/**
 * docs/HAZARDS.md is a claim a reviewer will check: every hazard has a section; every test it names
 * exists, in the file it names; and every named test is one whose failure, with that hazard's
 * protection removed, test/hazards/removal-check.ts verifies (it is listed in test/hazards/removals.ts).
 */

const root = path.resolve(import.meta.dirname, '../..');
const doc = fs.readFileSync(path.join(root, 'docs/HAZARDS.md'), 'utf8');
const HAZARDS = Array.from({ length: 17 }, (_, i) => `H${i + 1}`);

interface Section {
  hazard: string;
  text: string;
  tests: Array<{ file: string; name: string }>;
}

function sections(): Section[] {
  const parts = doc.split(/^## (?=H\d+ )/m).slice(1);
  return parts.map((text) => {
    const hazard = /^(H\d+) /.exec(text)![1]!;
    const tests = [...text.matchAll(/^- `(test\/[^`]+)` › `([^`]+)`$/gm)].map((m) => ({ file: m[1]!, name: m[2]! }));
    return { hazard, text, tests };
  });
}

describe('docs/HAZARDS.md traceability', () => {
  const all = sections();

  it('has one section per hazard, H1–H17, in order, and a summary row for each', () => {
    expect(all.map((s) => s.hazard)).toEqual(HAZARDS);
    for (const h of HAZARDS) expect(doc, h).toMatch(new RegExp(`^\\| ${h} \\|`, 'm'));
  });

  it('every section names a protection, where it lives, and at least one test', () => {
    for (const s of all) {
      expect(s.text, s.hazard).toMatch(/\*\*Protection/);
      expect(s.text, s.hazard).toMatch(/\*\*Where\.\*\*/);
      expect(s.tests.length, `${s.hazard} names no test`).toBeGreaterThan(0);
    }
  });

  it('every named test file exists and contains the named test', () => {
    for (const s of all) {
      for (const t of s.tests) {
        const file = path.join(root, t.file);
        expect(fs.existsSync(file), `${s.hazard}: ${t.file} does not exist`).toBe(true);
        const source = fs.readFileSync(file, 'utf8');
        const declared =
          [`'${t.name}'`, `"${t.name}"`, `\`${t.name}\``].some((q) => source.includes(q)) ||
          source.includes(`'${t.name.replace(/'/g, "\\'")}'`);
        expect(declared, `${s.hazard}: ${t.file} has no test named ${t.name}`).toBe(true);
      }
    }
  });

  it('the audit log has its own section, and every test it names exists in the file it names', () => {
    const start = doc.indexOf('## The audit log');
    expect(start, 'no "## The audit log" section').toBeGreaterThan(0);
    const text = doc.slice(start, doc.indexOf('\n## ', start + 1));
    const tests = [...text.matchAll(/^- `(test\/[^`]+)` › `([^`]+)`$/gm)];
    expect(tests.length).toBeGreaterThan(0);
    for (const [, file, name] of tests) {
      const source = fs.readFileSync(path.join(root, file!), 'utf8');
      expect(source.includes(`'${name!}'`) || source.includes(`"${name!}"`), `${file} has no test named ${name}`).toBe(
        true,
      );
    }
  });

  it('every named test is checked by a removal of the same hazard', () => {
    for (const s of all) {
      for (const t of s.tests) {
        const checked = REMOVALS.some((r) => r.hazard === s.hazard && (r.fails[t.file] ?? []).includes(t.name));
        expect(checked, `${s.hazard}: ${t.file} › ${t.name} is not in test/hazards/removals.ts for ${s.hazard}`).toBe(
          true,
        );
      }
    }
  });

  it('every removal belongs to a hazard the document covers, and names tests that exist', () => {
    for (const r of REMOVALS) {
      expect(HAZARDS).toContain(r.hazard);
      expect(Object.keys(r.fails).length, `${r.hazard}: ${r.what} names no failing test`).toBeGreaterThan(0);
      for (const e of r.edits) {
        const source = fs.readFileSync(path.join(root, e.file), 'utf8');
        expect(
          source.split(e.find).length - 1,
          `${r.hazard}: ${r.what}: the text to remove must occur once in ${e.file}`,
        ).toBe(1);
      }
      for (const [file, names] of Object.entries(r.fails)) {
        const source = fs.readFileSync(path.join(root, file), 'utf8');
        for (const n of names)
          expect(
            [`'${n}'`, `"${n}"`, `\`${n}\``].some((q) => source.includes(q)) ||
              source.includes(`'${n.replace(/'/g, "\\'")}'`),
            `${file} › ${n}`,
          ).toBe(true);
      }
    }
  });
});
