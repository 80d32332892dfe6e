import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Tests read nothing outside the repository (STYLE.md): CI runs a fresh
 * clone, and whatever sits beside a developer's checkout is not there. This
 * catches the way it crept in before: a path climbing out of the checkout
 * to the product brief in ../shared.
 */
const REPO = path.resolve(__dirname, '..');
const ROOTS = ['apps', 'libs', 'config', 'test'];
const OUTSIDE = [/\bREPO\s*,\s*['"`]\.\.\//, /__dirname\s*,\s*['"`](\.\.\/){5,}/];
/** A relative path in a string (an import or a file read) that climbs out of the checkout from where it stands. */
const RELATIVE = /['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g;

function climbsOut(file: string, line: string): boolean {
  // Benches and the screenshot script run compiled, from dist/test/…: one level deeper than their source.
  const compiled = ['bench', 'screenshots'].some((folder) => file.startsWith(path.join(REPO, 'test', folder)));
  const from = compiled ? path.join(REPO, 'dist', path.relative(REPO, path.dirname(file))) : path.dirname(file);
  return [...line.matchAll(RELATIVE)].some((match) => {
    const target = path.resolve(from, match[1]);
    return target !== REPO && !target.startsWith(`${REPO}${path.sep}`);
  });
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const file = path.join(directory, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|js)$/.test(name) ? [file] : [];
  });
}

describe('the repository boundary', () => {
  it('has no code or test that reads a path outside the checkout', () => {
    const offenders = ROOTS.flatMap((root) => sourceFiles(path.join(REPO, root)))
      // The dependency-rule test writes a small project of its own into a temporary folder: its strings are that project's sources.
      .filter((file) => file !== __filename && file !== path.join(REPO, 'test', 'dependency-rules.spec.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, index }))
          .filter(({ line }) => climbsOut(file, line) || OUTSIDE.some((pattern) => pattern.test(line)))
          .map(({ line, index }) => `${path.relative(REPO, file)}:${index + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
