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
const OUTSIDE = [/['"`]\.\.\/shared\b/, /\bREPO\s*,\s*['"`]\.\.\//, /__dirname\s*,\s*['"`](\.\.\/){5,}/];

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
      .filter((file) => file !== __filename)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, index }))
          .filter(({ line }) => OUTSIDE.some((pattern) => pattern.test(line)))
          .map(({ line, index }) => `${path.relative(REPO, file)}:${index + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
