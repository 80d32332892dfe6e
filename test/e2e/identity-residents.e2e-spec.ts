import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { type BearerTokens, expectError, IdentityDriver, PASSWORD, withCheckDigit } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox, tokenFromLink } from '../support/test-mailbox';

/**
 * Resident accounts through the HTTP API: registration with a mailed link
 * (real SMTP server, real outbox), login, lockout, rate limits, bearer
 * sessions with rotating refresh tokens, password change and reset, and
 * cookie sessions with CSRF. Every refusal path has its own test.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NEW_PASSWORD = 'another-long-passphrase';

describe('identity: residents (HTTP, real PostgreSQL, real SMTP)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let id: IdentityDriver;
  let server: Server;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    id = new IdentityDriver(t, mailbox);
    server = id.server;
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });
  // All requests come from 127.0.0.1: a fresh minute per test keeps the
  // per-IP limit (30 a minute) counting only the test's own attempts.
  beforeEach(() => t.clock.advance(MINUTE));

  const me = (token: string) => request(server).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const refresh = (refreshToken: string) => request(server).post('/api/v1/auth/refresh').send({ refreshToken });
  const verify = (token: string) => request(server).post('/api/v1/auth/residents/verify-email').send({ token });
  const residentCount = async (email: string): Promise<number> =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM residents WHERE lower(email) = lower($1)`, [email]))[0].n);
  const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  describe('registration and e-mail verification', () => {
    it('answers 202, mails a one-time link, refuses login until it is opened, and accepts the link once', async () => {
      const email = 'hanako@example.jp';
      const registered = await id.register(email).expect(202);
      expect(registered.body).toEqual({ status: 'accepted' });
      expect(mailbox.to(email)).toHaveLength(0); // nothing is sent before the outbox runs

      expectError(await id.residentLogin(email), 403, 'AUTH_EMAIL_NOT_VERIFIED');

      await id.deliverMail();
      const mail = mailbox.take(email);
      expect(mail.subject).toContain('メールアドレスの確認');
      expect(mail.text).toMatch(/^http:\/\/127\.0\.0\.1:3000\/verify-email\?m=990001&token=[A-Za-z0-9_-]{43}$/m);
      const token = tokenFromLink(mail, 'verify-email');
      // Only a hash of the token is stored.
      const byPlainToken = await t.dataSource.query(`SELECT 1 FROM one_time_tokens WHERE token_hash = $1`, [token]);
      const byHash = await t.dataSource.query(`SELECT 1 FROM one_time_tokens WHERE token_hash = $1`, [createHash('sha256').update(token).digest('hex')]);
      expect([byPlainToken.length, byHash.length]).toEqual([0, 1]);

      await verify(token).expect(204);
      expectError(await verify(token), 401, 'AUTH_TOKEN_INVALID');
      expectError(await verify('not-a-token-we-ever-sent'), 401, 'AUTH_TOKEN_INVALID');

      const login = await id.residentLogin(email).expect(200);
      expect(login.body).toEqual({
        accessToken: expect.stringMatching(/^990001\.[A-Za-z0-9_-]{43}$/),
        accessExpiresAt: new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString(),
        refreshToken: expect.stringMatching(/^990001\.[A-Za-z0-9_-]{43}$/),
        refreshExpiresAt: new Date(t.clock.now().getTime() + 30 * 24 * HOUR).toISOString(),
        csrfToken: null,
      });
      const profile = await me(login.body.accessToken).expect(200);
      expect(profile.body).toEqual({
        kind: 'resident',
        id: expect.any(String),
        municipalityId: '990001',
        email,
        name: null,
        nameKana: null,
        emailVerified: true,
        myNumberCardLinked: false,
        individualNumber: null,
        authMethod: 'password',
      });
    });

    it('answers an address that is already registered the same way, and mails its owner instead of making a second account', async () => {
      const email = 'taro@example.jp';
      await id.registerVerified(email);
      const again = await id.register('Taro@Example.JP', 'a-different-long-password').expect(202);
      expect(again.body).toEqual({ status: 'accepted' });

      await id.deliverMail();
      const mail = mailbox.take(email);
      expect(mail.subject).toContain('You already have an account');
      expect(mail.text).not.toContain('token=');
      expect(await residentCount(email)).toBe(1);
      // The first account is untouched: its password is still the one that works.
      expectError(await id.residentLogin(email, 'a-different-long-password'), 401, 'AUTH_INVALID_CREDENTIALS');
      await id.residentLogin(email).expect(200);
    });

    it('refuses a weak password with 422 and a malformed address with 400, creating nothing and mailing nobody', async () => {
      expectError(await id.register('weak@example.jp', 'short'), 422, 'AUTH_WEAK_PASSWORD');
      expectError(await id.register('weak@example.jp', 'elevenchars'), 422, 'AUTH_WEAK_PASSWORD');
      expectError(await id.register('same-as-address@example.jp', 'Same-As-Address@example.jp'), 422, 'AUTH_WEAK_PASSWORD');
      const malformed = await id.register('not-an-address', PASSWORD);
      expectError(malformed, 400, 'VALIDATION_FAILED');
      expect(malformed.body.details.errors.join(' ')).toContain('email');
      expectError(await request(server).post('/api/v1/auth/residents/register').send({ email: 'nopassword@example.jp' }), 400, 'VALIDATION_FAILED');

      await id.deliverMail();
      expect(await residentCount('weak@example.jp')).toBe(0);
      expect(await residentCount('same-as-address@example.jp')).toBe(0);
      expect(mailbox.to('weak@example.jp')).toHaveLength(0);
    });

    it('lets a verification link expire after 24 hours', async () => {
      await id.register('early@example.jp').expect(202);
      await id.register('late@example.jp').expect(202);
      await id.deliverMail();
      const early = tokenFromLink(mailbox.take('early@example.jp'), 'verify-email');
      const late = tokenFromLink(mailbox.take('late@example.jp'), 'verify-email');

      t.clock.advance(24 * HOUR - 1000);
      await verify(early).expect(204);
      t.clock.advance(1000);
      expectError(await verify(late), 401, 'AUTH_TOKEN_INVALID');
      expectError(await id.residentLogin('late@example.jp'), 403, 'AUTH_EMAIL_NOT_VERIFIED');
      await id.residentLogin('early@example.jp').expect(200);
    });
  });

  describe('login', () => {
    it('gives a wrong password and an unknown address the very same 401, and audits both without the address', async () => {
      await id.registerVerified('jiro@example.jp');
      const wrongPassword = await id.residentLogin('jiro@example.jp', 'not-the-password');
      const unknownAddress = await id.residentLogin('nobody-at-all@example.jp', 'not-the-password');
      expectError(wrongPassword, 401, 'AUTH_INVALID_CREDENTIALS');
      expectError(unknownAddress, 401, 'AUTH_INVALID_CREDENTIALS');
      expect(withoutRequestId(unknownAddress.body)).toEqual(withoutRequestId(wrongPassword.body));

      const failures: Array<{ actor_kind: string; details: Record<string, unknown> }> = await t.dataSource.query(
        `SELECT actor_kind, details FROM audit_log WHERE action = 'auth.login.failed' ORDER BY seq DESC LIMIT 2`,
      );
      expect(failures).toEqual([
        { actor_kind: 'anonymous', details: { accountKind: 'resident', reason: 'invalid credentials' } },
        { actor_kind: 'resident', details: { accountKind: 'resident', reason: 'invalid credentials' } },
      ]);
    });

    // Failed sign-ins are throttled per account-and-address and per address (identity-throttling.e2e-spec.ts);
    // this is the flood limit every sign-in route has per address, successes included.
    it('limits sign-in requests per IP: the 31st in a minute is 429 with Retry-After and retryAfterSeconds', async () => {
      await id.registerVerified('busy-ip@example.jp');
      // 20 seconds into a fresh minute.
      const now = t.clock.now().getTime();
      t.clock.advance(MINUTE - (now % MINUTE) + 20_000);

      const attempts = await Promise.all(Array.from({ length: 30 }, () => id.residentLogin('busy-ip@example.jp')));
      expect(attempts.map((response) => response.status)).toEqual(Array(30).fill(200));

      const limited = await id.residentLogin('busy-ip@example.jp');
      expectError(limited, 429, 'AUTH_RATE_LIMITED');
      expect(limited.body.details).toEqual({ retryAfterSeconds: 40 });
      expect(limited.headers['retry-after']).toBe('40');

      t.clock.advance(40_000);
      await id.residentLogin('busy-ip@example.jp').expect(200);
    });
  });

  describe('bearer sessions', () => {
    it('rotates the refresh token; presenting a used one ends the whole family (401 AUTH_REFRESH_REUSED)', async () => {
      const email = 'rotate@example.jp';
      await id.registerVerified(email);
      const first = await id.residentTokens(email);
      const otherDevice = await id.residentTokens(email);

      const rotated = await refresh(first.refreshToken).expect(200);
      const second = rotated.body as BearerTokens;
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expectError(await me(first.accessToken), 401, 'AUTH_UNAUTHENTICATED');
      await me(second.accessToken).expect(200);

      // Someone replays the first refresh token: the family ends, the thief's and the owner's.
      expectError(await refresh(first.refreshToken), 401, 'AUTH_REFRESH_REUSED');
      expectError(await me(second.accessToken), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await refresh(second.refreshToken), 401, 'AUTH_TOKEN_INVALID');
      // Another sign-in is another family.
      await me(otherDevice.accessToken).expect(200);
      await refresh(otherDevice.refreshToken).expect(200);

      expectError(await refresh('990001.not-a-token'), 401, 'AUTH_TOKEN_INVALID');
      expectError(await refresh(otherDevice.accessToken), 401, 'AUTH_TOKEN_INVALID');
      expectError(await request(server).post('/api/v1/auth/refresh').send({}), 400, 'VALIDATION_FAILED');
    });

    it('expires the access token after 15 minutes and the refresh token after 30 days', async () => {
      const email = 'expiry@example.jp';
      await id.registerVerified(email);
      const tokens = await id.residentTokens(email);
      t.clock.advance(15 * MINUTE - 1);
      await me(tokens.accessToken).expect(200);
      t.clock.advance(1);
      expectError(await me(tokens.accessToken), 401, 'AUTH_UNAUTHENTICATED');

      const renewed = (await refresh(tokens.refreshToken).expect(200)).body as BearerTokens;
      await me(renewed.accessToken).expect(200);
      t.clock.advance(30 * 24 * HOUR);
      expectError(await refresh(renewed.refreshToken), 401, 'AUTH_TOKEN_INVALID');
    });

    it('logs out: the access token and its refresh token stop working at once, other sessions do not', async () => {
      const email = 'logout@example.jp';
      await id.registerVerified(email);
      const tokens = await id.residentTokens(email);
      const other = await id.residentTokens(email);
      expectError(await request(server).post('/api/v1/auth/logout'), 401, 'AUTH_UNAUTHENTICATED');
      await request(server).post('/api/v1/auth/logout').set('Authorization', `Bearer ${tokens.accessToken}`).expect(204);
      expectError(await me(tokens.accessToken), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await refresh(tokens.refreshToken), 401, 'AUTH_TOKEN_INVALID');
      expectError(await request(server).post('/api/v1/auth/logout').set('Authorization', `Bearer ${tokens.accessToken}`), 401, 'AUTH_UNAUTHENTICATED');
      await me(other.accessToken).expect(200);
    });

    it('changes the password: other sessions end, the current one stays; wrong current password or a weak new one is refused', async () => {
      const email = 'change@example.jp';
      await id.registerVerified(email);
      const current = await id.residentTokens(email);
      const elsewhere = await id.residentTokens(email);
      const change = (body: Record<string, unknown>, token = current.accessToken) =>
        request(server).post('/api/v1/auth/residents/password').set('Authorization', `Bearer ${token}`).send(body);

      expectError(await request(server).post('/api/v1/auth/residents/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await change({ currentPassword: 'not-the-password', newPassword: NEW_PASSWORD }), 401, 'AUTH_INVALID_CREDENTIALS');
      expectError(await change({ currentPassword: PASSWORD, newPassword: 'short' }), 422, 'AUTH_WEAK_PASSWORD');
      expectError(await change({ currentPassword: PASSWORD, newPassword: email }), 422, 'AUTH_WEAK_PASSWORD');
      await me(elsewhere.accessToken).expect(200); // refusals changed nothing

      await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
      await me(current.accessToken).expect(200);
      await refresh(current.refreshToken).expect(200);
      expectError(await me(elsewhere.accessToken), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await refresh(elsewhere.refreshToken), 401, 'AUTH_TOKEN_INVALID');
      expectError(await id.residentLogin(email, PASSWORD), 401, 'AUTH_INVALID_CREDENTIALS');
      await id.residentLogin(email, NEW_PASSWORD).expect(200);
    });
  });

  describe('password reset', () => {
    const requestReset = (email: string) => request(server).post('/api/v1/auth/residents/password-reset').send({ email });
    const confirm = (token: string, password: string) => request(server).post('/api/v1/auth/residents/password-reset/confirm').send({ token, password });

    it('mails a single-use link (the same 202 for unknown addresses) that sets a new password and ends every session', async () => {
      const email = 'forgot@example.jp';
      await id.registerVerified(email);
      const session = await id.residentTokens(email);

      const known = await requestReset(email).expect(202);
      const unknown = await requestReset('never-registered@example.jp').expect(202);
      expect(unknown.body).toEqual(known.body);
      expectError(await requestReset('not an address'), 400, 'VALIDATION_FAILED');
      await id.deliverMail();
      expect(mailbox.to('never-registered@example.jp')).toHaveLength(0);
      const mail = mailbox.take(email);
      expect(mail.subject).toContain('Reset your password');
      const token = tokenFromLink(mail, 'reset-password');

      // A refused new password does not use up the link.
      expectError(await confirm(token, 'short'), 422, 'AUTH_WEAK_PASSWORD');
      await me(session.accessToken).expect(200);

      await confirm(token, NEW_PASSWORD).expect(204);
      expectError(await me(session.accessToken), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await refresh(session.refreshToken), 401, 'AUTH_TOKEN_INVALID');
      expectError(await confirm(token, 'yet-another-long-password'), 401, 'AUTH_TOKEN_INVALID');
      expectError(await confirm('not-a-token-we-ever-sent', 'yet-another-long-password'), 401, 'AUTH_TOKEN_INVALID');
      expectError(await id.residentLogin(email, PASSWORD), 401, 'AUTH_INVALID_CREDENTIALS');
      await id.residentLogin(email, NEW_PASSWORD).expect(200);
    });

    it('lets a reset link expire after 30 minutes', async () => {
      const email = 'slow@example.jp';
      await id.registerVerified(email);
      await requestReset(email).expect(202);
      await requestReset(email).expect(202);
      await id.deliverMail();
      const [first, second] = mailbox.to(email).map((mail) => tokenFromLink(mail, 'reset-password'));
      mailbox.forget(email);

      t.clock.advance(30 * MINUTE - 1);
      await confirm(first, NEW_PASSWORD).expect(204);
      t.clock.advance(1);
      expectError(await confirm(second, 'yet-another-long-password'), 401, 'AUTH_TOKEN_INVALID');
      await id.residentLogin(email, NEW_PASSWORD).expect(200);
    });

    it('verifies the address of an account whose verification link was lost', async () => {
      const email = 'lost-link@example.jp';
      await id.register(email).expect(202);
      await id.deliverMail();
      mailbox.forget(email); // the verification mail went unread
      await requestReset(email).expect(202);
      await id.deliverMail();
      await confirm(tokenFromLink(mailbox.take(email), 'reset-password'), NEW_PASSWORD).expect(204);
      await id.residentLogin(email, NEW_PASSWORD).expect(200);
    });
  });

  describe('cookie sessions', () => {
    const COOKIE = 'madoguchi_session';
    const cookieLogin = async (email: string): Promise<{ cookie: string; csrfToken: string; token: string }> => {
      const response = await id.residentLogin(email, PASSWORD, { transport: 'cookie' }).expect(200);
      const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith(`${COOKIE}=`));
      if (!header) throw new Error('no session cookie set');
      const token = header.slice(COOKIE.length + 1).split(';')[0];
      return { cookie: `${COOKIE}=${token}`, csrfToken: response.body.csrfToken as string, token };
    };

    it('sets an HttpOnly SameSite=Lax cookie and returns a CSRF token instead of bearer tokens', async () => {
      const email = 'cookie@example.jp';
      await id.registerVerified(email);
      const response = await id.residentLogin(email, PASSWORD, { transport: 'cookie' }).expect(200);
      expect(response.body).toEqual({
        accessToken: null,
        accessExpiresAt: new Date(t.clock.now().getTime() + 8 * HOUR).toISOString(),
        refreshToken: null,
        refreshExpiresAt: null,
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const [header] = response.headers['set-cookie'] as unknown as string[];
      const attributes = header.split(/;\s*/);
      expect(attributes[0]).toMatch(new RegExp(`^${COOKIE}=990001\\.[A-Za-z0-9_-]{43}$`));
      expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', `Max-Age=${8 * 60 * 60}`]));
    });

    it('reads with the cookie alone, but every change needs the X-CSRF-Token of that session', async () => {
      const email = 'csrf@example.jp';
      await id.registerVerified(email);
      const session = await cookieLogin(email);
      const otherSession = await cookieLogin(email);
      const profile = await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie).expect(200);
      expect(profile.body).toMatchObject({ kind: 'resident', email });

      const individualNumber = withCheckDigit('12345678901');
      const store = () => request(server).put('/api/v1/residents/me/individual-number').set('Cookie', session.cookie).send({ individualNumber });
      expectError(await store(), 403, 'AUTH_CSRF_FAILED');
      expectError(await store().set('X-CSRF-Token', 'wrong'), 403, 'AUTH_CSRF_FAILED');
      expectError(await store().set('X-CSRF-Token', otherSession.csrfToken), 403, 'AUTH_CSRF_FAILED');
      expect((await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie).expect(200)).body.individualNumber).toBeNull();
      const stored = await store().set('X-CSRF-Token', session.csrfToken).expect(200);
      expect(stored.body).toEqual({ masked: `********${individualNumber.slice(-4)}` });

      const logout = () => request(server).post('/api/v1/auth/logout').set('Cookie', session.cookie);
      expectError(await logout(), 403, 'AUTH_CSRF_FAILED');
      expectError(await logout().set('X-CSRF-Token', otherSession.csrfToken), 403, 'AUTH_CSRF_FAILED');
      await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie).expect(200);
      const loggedOut = await logout().set('X-CSRF-Token', session.csrfToken).expect(204);
      expect(([] as string[]).concat(loggedOut.headers['set-cookie'] ?? []).join()).toMatch(new RegExp(`${COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
      expectError(await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie), 401, 'AUTH_UNAUTHENTICATED');
      await request(server).get('/api/v1/auth/me').set('Cookie', otherSession.cookie).expect(200);
    });

    it('refuses a cookie token as a bearer token and a bearer token as a cookie', async () => {
      const email = 'crossed@example.jp';
      await id.registerVerified(email);
      const cookieSession = await cookieLogin(email);
      const bearer = await id.residentTokens(email);
      expectError(await me(cookieSession.token), 401, 'AUTH_UNAUTHENTICATED');
      expectError(await request(server).get('/api/v1/auth/me').set('Cookie', `${COOKIE}=${bearer.accessToken}`), 401, 'AUTH_UNAUTHENTICATED');
      await request(server).get('/api/v1/auth/me').set('Cookie', cookieSession.cookie).expect(200);
      await me(bearer.accessToken).expect(200);
    });

    it('ends a cookie session after 8 hours', async () => {
      const email = 'long-day@example.jp';
      await id.registerVerified(email);
      const session = await cookieLogin(email);
      t.clock.advance(8 * HOUR - 1);
      await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie).expect(200);
      t.clock.advance(1);
      expectError(await request(server).get('/api/v1/auth/me').set('Cookie', session.cookie), 401, 'AUTH_UNAUTHENTICATED');
    });
  });
});
