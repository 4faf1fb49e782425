/**
 * Issue 14: procedure codes from SNOMED CT only where a published source shows the id with its term.
 * Every code in `PROCEDURE_SNOMED` must have its row in docs/CLINICAL-RULES.md with the same id, the
 * same term and a source; every procedure kind without a code must say "none confirmed" there. A code
 * added without its source (or a doc row left behind when a code is removed) fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCEDURE_SNOMED } from '../../src/outcomes/fhir/fhir-bundle.js';

const RULES = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'CLINICAL-RULES.md'), 'utf8');
const KINDS = ['scs-trial', 'ipg-implant', 'explant', 'drez'] as const;

/** The SNOMED table's rows by procedure kind: [code, term, source]. */
function snomedRows(): Map<string, [string, string, string]> {
  const section = RULES.slice(RULES.indexOf('## SNOMED CT procedure codes in the FHIR export'));
  const rows = new Map<string, [string, string, string]>();
  for (const m of section.matchAll(/^\| `([a-z-]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm))
    rows.set(m[1]!, [m[2]!.trim(), m[3]!.trim(), m[4]!.trim()]);
  return rows;
}

describe('SNOMED CT procedure codes and their sources (docs/CLINICAL-RULES.md)', () => {
  it('lists every procedure kind once', () => {
    expect([...snomedRows().keys()].sort()).toEqual([...KINDS].sort());
  });

  it('gives each code the id and term of its documented source', () => {
    const rows = snomedRows();
    for (const kind of KINDS) {
      const coded = PROCEDURE_SNOMED[kind];
      const [code, term, source] = rows.get(kind)!;
      if (coded) {
        expect([code, term]).toEqual([coded[0], coded[1]]);
        expect(source).toMatch(/procedure-code/);
        expect(source).toContain(coded[0]);
      } else {
        expect(code).toBe('none confirmed');
      }
    }
  });

  it('codes the IPG implant as 3270004 "Implantation of neurostimulator in spine" and nothing else', () => {
    expect(PROCEDURE_SNOMED).toEqual({ 'ipg-implant': ['3270004', 'Implantation of neurostimulator in spine'] });
  });
});
