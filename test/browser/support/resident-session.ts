import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { PASSWORD } from '../../support/identity-e2e';
import { SAMPLE_MUNICIPALITY } from '../../support/test-app';
import { type TestMailbox, tokenFromLink } from '../../support/test-mailbox';
import { OutboxDispatcher } from '@madoguchi/kernel';
import type { PortalServer } from './portal-server';

export { PASSWORD };

/**
 * Runs the outbox as the worker would, so queued mail reaches the test
 * mailbox (the portal server's app runs no background jobs).
 */
export async function deliverMail(server: PortalServer): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    await server.app.get(OutboxDispatcher).dispatchDue();
    const [mail]: Array<{ due: number }> = await server.app.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending' AND available_at <= $1)::int AS due FROM outbox WHERE topic = 'mail.send'`,
      [server.app.clock.now()],
    );
    if (mail.due === 0) return;
  }
  throw new Error('mail still due after 10 outbox rounds');
}

/** A registered resident whose address is confirmed, made through the JSON API and the mailed link (no browser). */
export async function createVerifiedResident(server: PortalServer, mailbox: TestMailbox, email: string, password = PASSWORD): Promise<void> {
  const http = request(server.app.app.getHttpServer());
  await http.post('/api/v1/auth/residents/register').set('X-Municipality-Id', SAMPLE_MUNICIPALITY).send({ email, password }).expect(202);
  await deliverMail(server);
  const token = tokenFromLink(mailbox.take(email), 'verify-email');
  await request(server.app.app.getHttpServer()).post('/api/v1/auth/residents/verify-email').set('X-Municipality-Id', SAMPLE_MUNICIPALITY).send({ token }).expect(204);
}

/** Signs in through the sign-in page, as a resident would; the page ends wherever the sign-in sends it. */
export async function signInThroughPage(page: Page, origin: string, email: string, password = PASSWORD, next?: string): Promise<void> {
  await page.goto(`${origin}/account/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  if (new URL(page.url()).pathname === '/account/sign-in') throw new Error(`sign-in of ${email} failed: ${await page.locator('.mg-error-summary').innerText().catch(() => 'no error summary')}`);
}

/**
 * A new verified resident signed in in this browser context (cookie
 * session). Needs a portal server started with SMTP_URL pointing at the
 * mailbox: `startPortalServer({ env: { SMTP_URL: mailbox.url } })`.
 */
export async function registerAndSignIn(
  target: Page | BrowserContext,
  server: PortalServer,
  mailbox: TestMailbox,
  email: string,
  options: { password?: string; next?: string } = {},
): Promise<Page> {
  await createVerifiedResident(server, mailbox, email, options.password);
  const page = 'newPage' in target ? await target.newPage() : target;
  await signInThroughPage(page, server.origin, email, options.password, options.next);
  return page;
}
