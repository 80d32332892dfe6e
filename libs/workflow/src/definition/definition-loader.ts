import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { type DefinitionContext, validateDefinition } from './definition-validator';
import type { DefinitionError, ProcedureDefinition } from './procedure-definition';

export interface LoadedDefinition {
  definition: ProcedureDefinition;
  file: string;
}

/** Thrown with every problem of every file at once, so one run fixes all. */
export class DefinitionLoadError extends Error {
  constructor(readonly errors: DefinitionError[]) {
    super(
      `${errors.length} problem(s) in procedure definitions:\n` +
        errors.map((error) => `  - ${error.file} ${error.path}: ${error.reason}`).join('\n'),
    );
    this.name = 'DefinitionLoadError';
  }
}

/** Parses and validates one YAML text. */
export function parseDefinition(
  text: string,
  file: string,
  context: DefinitionContext,
): { definition?: ProcedureDefinition; errors: DefinitionError[] } {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true });
  } catch (error) {
    return { errors: [{ file, path: '/', reason: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const errors = validateDefinition(data, file, context);
  return errors.length > 0 ? { errors } : { definition: data as ProcedureDefinition, errors };
}

/**
 * Loads every `*.yaml` in a catalog folder. Each file holds one procedure;
 * a code may appear once. Throws DefinitionLoadError listing all problems.
 */
export function loadDefinitionDirectory(directory: string, context: DefinitionContext): LoadedDefinition[] {
  const files = readdirSync(directory)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  const errors: DefinitionError[] = [];
  const loaded: LoadedDefinition[] = [];
  const fileByCode = new Map<string, string>();
  for (const name of files) {
    const file = path.join(directory, name);
    const result = parseDefinition(readFileSync(file, 'utf8'), file, context);
    errors.push(...result.errors);
    if (!result.definition) continue;
    const { code } = result.definition;
    const earlier = fileByCode.get(code);
    if (earlier) {
      errors.push({ file, path: '/code', reason: `duplicate code "${code}", already defined in ${earlier}` });
      continue;
    }
    fileByCode.set(code, file);
    loaded.push({ definition: result.definition, file });
  }
  if (errors.length > 0) throw new DefinitionLoadError(errors);
  return loaded;
}
