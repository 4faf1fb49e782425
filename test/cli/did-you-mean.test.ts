import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../src/shared/did-you-mean.js';
import { parseProblem } from '../../src/shared/parse-problem.js';
import { parseArgs } from 'node:util';

const COMMANDS = ['start', 'ports', 'diary', 'cohort', 'patient', 'followup', 'sim', 'audit', 'script', 'completion'];

describe('did you mean', () => {
  it('suggests the command one slip away: a doubled, dropped, wrong or swapped letter', () => {
    expect(closestName('diarry', COMMANDS)).toBe('diary');
    expect(closestName('dairy', COMMANDS)).toBe('diary');
    expect(closestName('patinet', COMMANDS)).toBe('patient');
    expect(closestName('cohrot', COMMANDS)).toBe('cohort');
    expect(closestName('scirpt', COMMANDS)).toBe('script');
    expect(closestName('folowup', COMMANDS)).toBe('followup');
    expect(closestName('compl', COMMANDS)).toBe('completion'); // the only name starting so
  });

  it('suggests nothing for a word that is no slip of any name', () => {
    expect(closestName('xyzzy', COMMANDS)).toBeUndefined();
    expect(closestName('s', COMMANDS)).toBeUndefined(); // a one-letter word is no evidence (start, sim, script)
    expect(closestName('', COMMANDS)).toBeUndefined();
  });

  it('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('diary', 'dairy')).toBe(1);
    expect(editDistance('diary', 'diary')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('property: any single edit of a name of five or more letters is suggested back as a name at distance 1', () => {
    const names = ['diary', 'cohort', 'patient', 'followup', 'script', 'completion'];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.nat(),
        fc.constantFrom('delete', 'insert', 'replace', 'swap'),
        fc.constantFrom(...'abcxyz'),
        (name, at, edit, letter) => {
          const i = at % name.length;
          const typo =
            edit === 'delete'
              ? name.slice(0, i) + name.slice(i + 1)
              : edit === 'insert'
                ? name.slice(0, i) + letter + name.slice(i)
                : edit === 'replace'
                  ? name.slice(0, i) + letter + name.slice(i + 1)
                  : i + 1 < name.length
                    ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2)
                    : name;
          const suggestion = closestName(typo, names);
          expect(suggestion).toBeDefined();
          expect(editDistance(typo, suggestion!)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("parseArgs's unknown-option error gets the nearest option; other errors keep their first sentence", () => {
    const options = { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, patient: { type: 'string' } } as const;
    const problem = (args: string[]) => {
      try {
        parseArgs({ args, options, strict: true });
      } catch (e) {
        return parseProblem(e, options);
      }
      throw new Error('parseArgs accepted it');
    };
    expect(problem(['--jsn'])).toBe("Unknown option '--jsn' (did you mean --json?)");
    expect(problem(['--data-dri', 'x'])).toBe("Unknown option '--data-dri' (did you mean --data-dir?)");
    expect(problem(['--colour'])).toBe("Unknown option '--colour'");
    expect(problem(['--patient'])).toBe("Option '--patient <value>' argument missing");
    // bb3 F-L11: `--dwell-ms -1` said only "argument is ambiguous": say what was seen and what to do.
    expect(problem(['--patient', '-1'])).toBe(
      "Option '--patient' needs a value, and the next argument starts with '-' (a negative number or another option); write a value that starts with '-' as --patient=VALUE",
    );
  });
});
