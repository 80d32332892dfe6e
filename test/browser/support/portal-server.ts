import { freePort } from '../../support/free-port';
import { createTestApp, type TestApp } from '../../support/test-app';

export interface PortalServer {
  app: TestApp;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/**
 * The API with the portal on a free port of 127.0.0.1, against this test
 * file's own database. `env` goes to the app's configuration (e.g.
 * `SMTP_URL` of a TestMailbox); PUBLIC_BASE_URL is this server, so mailed
 * links and the card sign-in's redirect come back to it.
 */
export async function startPortalServer(options: { env?: Record<string, string> } = {}): Promise<PortalServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = await createTestApp({ portal: true, env: { PUBLIC_BASE_URL: origin, ...options.env } });
  await app.app.listen(port, '127.0.0.1');
  return { app, origin, close: () => app.close() };
}
