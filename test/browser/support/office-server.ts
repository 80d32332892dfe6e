import { freePort } from '../../support/free-port';
import { createTestApp, type TestApp } from '../../support/test-app';

/** The API with the staff office (/office) on a free port of 127.0.0.1, against this test file's own database. */
export async function startOfficeServer(): Promise<{ app: TestApp; origin: string; close(): Promise<void> }> {
  const app = await createTestApp({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  const port = await freePort();
  await app.app.listen(port, '127.0.0.1');
  return { app, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
