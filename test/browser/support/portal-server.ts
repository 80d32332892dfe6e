import { freePort } from '../../support/free-port';
import { createTestApp, type TestApp } from '../../support/test-app';

export interface PortalServer {
  app: TestApp;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/** The API with the portal on a free port of 127.0.0.1, against this test file's own database. */
export async function startPortalServer(): Promise<PortalServer> {
  const app = await createTestApp({ portal: true });
  const port = await freePort();
  await app.app.listen(port, '127.0.0.1');
  return { app, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
