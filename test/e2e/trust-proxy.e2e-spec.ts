import type { Server } from 'node:http';
import request from 'supertest';
import { IdentityDriver, PASSWORD } from '../support/identity-e2e';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Issue 10 ("Trust"), TRUST_PROXY: the sign-in throttle counts failures per
 * client address. Unset, X-Forwarded-For is a header like any other and a
 * client cannot pick a fresh address per guess; behind a trusted reverse
 * proxy (here: loopback, where supertest connects from), the header names
 * the client, so residents behind one proxy are not throttled together.
 */

const MINUTE = 60_000;
const PASSWORD_WRONG = 'not-the-password-1';

describe('TRUST_PROXY: which address the sign-in throttle sees (HTTP, real PostgreSQL)', () => {
  let mailbox: TestMailbox;
  beforeAll(async () => {
    mailbox = await TestMailbox.start();
  });
  afterAll(async () => {
    await mailbox?.close();
  });

  async function scenario(env: Record<string, string>): Promise<{ spoofedOwner: number; sameForwarded: number }> {
    const t: TestApp = await createTestApp({ env: { SMTP_URL: mailbox.url, ...env } });
    try {
      const id = new IdentityDriver(t, mailbox);
      const server: Server = id.server;
      const email = `owner-${Object.keys(env).length}@example.jp`;
      await id.registerVerified(email);
      t.clock.advance(MINUTE);
      const login = (forwardedFor: string, password: string) =>
        request(server)
          .post('/api/v1/auth/residents/login')
          .set('x-municipality-id', SAMPLE_MUNICIPALITY)
          .set('x-forwarded-for', forwardedFor)
          .send({ email, password });
      // Five failures on the account "from" 203.0.113.5: the pair of account and address now waits.
      for (let guess = 0; guess < 5; guess += 1) expect((await login('203.0.113.5', `${PASSWORD_WRONG}-${guess}`)).status).toBe(401);
      const spoofedOwner = (await login('198.51.100.7', PASSWORD)).status;
      const sameForwarded = (await login('203.0.113.5', PASSWORD)).status;
      return { spoofedOwner, sameForwarded };
    } finally {
      await t.close();
    }
  }

  it('unset: a spoofed X-Forwarded-For does not change the address; the socket address stays throttled', async () => {
    expect(await scenario({})).toEqual({ spoofedOwner: 429, sameForwarded: 429 });
  });

  it('TRUST_PROXY=loopback: the forwarded address is the client; another forwarded address signs in, the throttled one waits', async () => {
    expect(await scenario({ TRUST_PROXY: 'loopback' })).toEqual({ spoofedOwner: 200, sameForwarded: 429 });
  });
});
