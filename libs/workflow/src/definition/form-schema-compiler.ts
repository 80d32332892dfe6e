import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JAPANESE_FORMATS } from './japanese-formats';

/**
 * The ajv instance that compiles procedure form schemas. Strict, so a typo in
 * a keyword is a load error rather than a rule that silently never applies.
 */
export function createFormAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, useDefaults: false });
  addFormats(ajv, ['date', 'date-time', 'email', 'uri', 'time']);
  for (const [name, validate] of Object.entries(JAPANESE_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

export function compileFormSchema(ajv: Ajv, schema: Record<string, unknown>): ValidateFunction {
  return ajv.compile(schema);
}
