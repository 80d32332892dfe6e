import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateResponseSchemas, renderGeneratedModule } from './openapi-response-schemas';

const ROOT = path.resolve(__dirname, '../..');
const TARGET = path.join(ROOT, 'apps/api/src/openapi/response-schemas.generated.ts');

/**
 * The committed response schemas are what the handlers' return types say
 * today: a changed DTO fails here until regenerated, so the document cannot
 * drift from the code.
 */
describe('OpenAPI response schemas', () => {
  it('are up to date with the handlers’ return types', () => {
    const expected = renderGeneratedModule(generateResponseSchemas(ROOT));
    if (process.env.UPDATE_OPENAPI_SCHEMAS === '1') writeFileSync(TARGET, expected);
    expect(readFileSync(TARGET, 'utf8')).toBe(expected);
  }, 180_000);
});
