import { accessSync, constants, lstatSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Why `scs sim --link PATH` cannot keep its symlink at PATH, or null. Checked before a pty is opened
 * or anything is logged, so a refused path leaves nothing behind and says nothing else first. The
 * directory must exist and take a new file, and PATH must be free or a symlink (never replaced
 * otherwise). Permission bits do not tell everything (root may write anywhere, yet /proc or a
 * read-only mount refuse a symlink), so a probe symlink is made next to PATH and removed at once.
 */
export function linkPathProblem(linkPath: string): string | null {
  const dir = path.dirname(path.resolve(linkPath));
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) return `the directory ${dir} does not exist`;
  if (!dirStat.isDirectory()) return `${dir} is not a directory`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `no permission to create a file in ${dir}`;
  }
  const existing = lstatSync(linkPath, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink()) return `${linkPath} exists and is not a symlink (it is left alone)`;
  const probe = path.join(dir, `.${path.basename(linkPath)}.scs-probe-${process.pid}`);
  try {
    rmSync(probe, { force: true }); // one left by a killed run of the same pid
    symlinkSync('/dev/null', probe);
  } catch (error) {
    return `a symlink cannot be created in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  unlinkSync(probe);
  return null;
}
