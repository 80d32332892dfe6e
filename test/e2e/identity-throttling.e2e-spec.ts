import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { expectError, IdentityDriver, PASSWORD, type StaffHandle, totpCode, wrongTotpCode } from '../support/identity-e2e';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Issue 10 ("Trust"), sign-in: the attacks an outside test found, replayed
 * over HTTP from several source addresses (127.0.0.0/8 is all loopback on
 * Linux, so a request can really come from 127.0.0.7). Failed sign-ins slow
 * down the pair of account and address and the address, never the account
 * alone; successes never count; staff locks are listed and unlocked by
 * administrators; a TOTP code signs in once; passwords are scored by zxcvbn.
 */

const MINUTE = 60_000;
const OWNER_IP = '127.0.0.1';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { code?: string; details?: Record<string, unknown>; [key: string]: unknown };
}

describe('identity: sign-in throttling, staff locks, TOTP reuse, password strength (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let id: IdentityDriver;
  let server: Server;
  let port: number;
  let admin: StaffHandle & { totpSecret: string };

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    id = new IdentityDriver(t, mailbox);
    server = id.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    admin = await id.administrator('admin.throttle');
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });
  // A fresh minute (and TOTP step) per test keeps the per-address flood limit to the test's own requests.
  beforeEach(() => t.clock.advance(MINUTE));

  /** A POST sent from a given loopback address. */
  const from = (ip: string, path: string, body: object, token?: string): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          localAddress: ip,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'x-municipality-id': SAMPLE_MUNICIPALITY,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (incoming) => {
          let text = '';
          incoming.on('data', (chunk) => (text += chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text ? JSON.parse(text) : {} }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  const residentLogin = (ip: string, email: string, password = PASSWORD) => from(ip, '/api/v1/auth/residents/login', { email, password });
  const staffLogin = (ip: string, loginId: string, extra: Record<string, unknown> = {}, password = PASSWORD) =>
    from(ip, '/api/v1/auth/staff/login', { loginId, password, ...extra });
  const attacker = (n: number) => `127.0.0.${10 + n}`;
  /** The test administrator, signed in afresh (each test has its own TOTP step, and a code signs in once). */
  const adminToken = async (): Promise<string> => {
    const reply = await staffLogin(OWNER_IP, admin.loginId, { totpCode: totpCode(admin.totpSecret, t.clock.now()) });
    expect(reply.status).toBe(200);
    return reply.body.accessToken as string;
  };
  const auditCount = async (action: string, targetId: string): Promise<number> =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_log WHERE action = $1 AND target_id = $2`, [action, targetId]))[0].n);

  describe('residents', () => {
    it('keeps the owner able to sign in from their own address while many other addresses fail on the account', async () => {
      const email = 'target@example.jp';
      await id.registerVerified(email);
      // Ten addresses, three wrong guesses each: thirty failures on one account in a minute.
      for (let n = 0; n < 10; n += 1) {
        for (let guess = 0; guess < 3; guess += 1) expect((await residentLogin(attacker(n), email, `wrong-guess-${guess}`)).status).toBe(401);
      }
      expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
    });

    it('keeps the owner in against one failure per window for a day, and slows that one address down exponentially', async () => {
      const email = 'patient-target@example.jp';
      await id.registerVerified(email);
      const delays: number[] = [];
      for (let window = 0; window < 96; window += 1) {
        const reply = await residentLogin(attacker(20), email, 'still-wrong-password');
        if (reply.status === 429) delays.push(Number(reply.headers['retry-after']));
        else expect(reply.status).toBe(401);
        if (window % 16 === 0) expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
        t.clock.advance(15 * MINUTE);
      }
      expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
      // Past five failures the pair waits 1, 2, 4 … minutes, never more than an hour.
      expect(delays.length).toBeGreaterThan(0);
      expect(Math.max(...delays)).toBeLessThanOrEqual(60 * 60);
    });

    it('stops a brute force from one address: after 5 failures even the right password waits, the wait doubles, and Retry-After says how long', async () => {
      const email = 'bruteforced@example.jp';
      await id.registerVerified(email);
      for (let guess = 0; guess < 5; guess += 1) expect((await residentLogin(attacker(30), email, `guess-number-${guess}`)).status).toBe(401);
      const limited = await residentLogin(attacker(30), email);
      expect({ status: limited.status, code: limited.body.code, retryAfter: limited.headers['retry-after'] }).toEqual({ status: 429, code: 'AUTH_RATE_LIMITED', retryAfter: '60' });
      expect(limited.body.details).toEqual({ retryAfterSeconds: 60 });

      t.clock.advance(MINUTE);
      expect((await residentLogin(attacker(30), email, 'guess-number-6')).status).toBe(401);
      const longer = await residentLogin(attacker(30), email);
      expect({ status: longer.status, retryAfter: longer.headers['retry-after'] }).toEqual({ status: 429, retryAfter: '120' });
      // The owner, elsewhere, is not affected.
      expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
      t.clock.advance(2 * MINUTE);
      expect((await residentLogin(attacker(30), email)).status).toBe(200);
    });

    it('stops one address spraying many accounts after 20 failures, whichever account it names next', async () => {
      const email = 'sprayed@example.jp';
      await id.registerVerified(email);
      for (let n = 0; n < 20; n += 1) expect((await residentLogin(attacker(40), `nobody-${n}@example.jp`, 'spray-password-1')).status).toBe(401);
      const limited = await residentLogin(attacker(40), email);
      expect({ status: limited.status, code: limited.body.code, retryAfter: limited.headers['retry-after'] }).toEqual({ status: 429, code: 'AUTH_RATE_LIMITED', retryAfter: '60' });
      expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
    });

    it('never counts successes: twenty sign-ins in a row all succeed, and a success clears the address’s failures on the account', async () => {
      const email = 'frequent@example.jp';
      await id.registerVerified(email);
      for (let n = 0; n < 20; n += 1) expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
      for (let round = 0; round < 3; round += 1) {
        t.clock.advance(MINUTE); // the per-address flood limit (30 requests a minute) is not what this is about
        for (let guess = 0; guess < 4; guess += 1) expect((await residentLogin(OWNER_IP, email, `typo-number-${guess}`)).status).toBe(401);
        expect((await residentLogin(OWNER_IP, email)).status).toBe(200);
      }
    });
  });

  describe('staff', () => {
    it('lets the first administrator in from their own address with password and code while strangers lock the account; the lock is audited and listed', async () => {
      const target = await id.administrator('admin.target');
      const token = await adminToken();
      for (let n = 0; n < 10; n += 1) expect((await staffLogin(attacker(50 + n), target.loginId, {}, 'not-the-password')).status).toBe(401);
      // Locked now: more strangers get 423 and no further count.
      expect((await staffLogin(attacker(61), target.loginId, {}, 'not-the-password')).status).toBe(423);
      const [row] = await t.dataSource.query(`SELECT locked_until FROM staff WHERE id = $1`, [target.id]);
      expect(row.locked_until).not.toBeNull();
      expect(await auditCount('auth.account.locked', target.id)).toBe(1);

      const listed = await request(server).get('/api/v1/admin/staff/locked').auth(token, { type: 'bearer' }).expect(200);
      expect(listed.body).toEqual([{ id: target.id, loginId: target.loginId, displayName: target.loginId, lockedUntil: expect.any(String) }]);

      // A failing address is refused even with the right password and code …
      const failing = await staffLogin(attacker(50), target.loginId, { totpCode: totpCode(target.totpSecret, t.clock.now()) });
      expect({ status: failing.status, code: failing.body.code }).toEqual({ status: 423, code: 'AUTH_ACCOUNT_LOCKED' });
      // … the owner from a clean address is not (in the next time step: the code that made the handle is spent), and signing in ends the lock.
      t.clock.advance(30_000);
      expect((await staffLogin(OWNER_IP, target.loginId, { totpCode: totpCode(target.totpSecret, t.clock.now()) })).status).toBe(200);
      expect((await request(server).get('/api/v1/admin/staff/locked').auth(token, { type: 'bearer' }).expect(200)).body).toEqual([]);
    });

    it('locks a staff member without TOTP until an administrator unlocks it (audited); unlocking twice is 409', async () => {
      const freshAdmin = await id.administrator('admin.unlocker');
      const clerk = await id.staff('clerk.locked', ['clerk'], { departments: ['shimin'] });
      for (let n = 0; n < 10; n += 1) expect((await staffLogin(attacker(70 + n), clerk.loginId, {}, 'not-the-password')).status).toBe(401);
      const locked = await staffLogin(OWNER_IP, clerk.loginId);
      expect({ status: locked.status, code: locked.body.code }).toEqual({ status: 423, code: 'AUTH_ACCOUNT_LOCKED' });

      expectError(await request(server).post(`/api/v1/admin/staff/${clerk.id}/unlock`).auth(clerk.token, { type: 'bearer' }), 403, 'AUTH_FORBIDDEN');
      await request(server).post(`/api/v1/admin/staff/${clerk.id}/unlock`).auth(freshAdmin.token, { type: 'bearer' }).expect(204);
      expect(await auditCount('auth.account.unlocked', clerk.id)).toBe(1);
      expect((await staffLogin(OWNER_IP, clerk.loginId)).status).toBe(200);
      expectError(await request(server).post(`/api/v1/admin/staff/${clerk.id}/unlock`).auth(freshAdmin.token, { type: 'bearer' }), 409, 'IDENTITY_STAFF_NOT_LOCKED');
    });

    it('accepts a TOTP code once: the same code again is 401, and of two concurrent sign-ins with one code exactly one gets in', async () => {
      const target = await id.administrator('admin.replay');
      t.clock.advance(MINUTE);
      const code = totpCode(target.totpSecret, t.clock.now());
      expect((await staffLogin(OWNER_IP, target.loginId, { totpCode: code })).status).toBe(200);
      const replayed = await staffLogin(OWNER_IP, target.loginId, { totpCode: code });
      expect({ status: replayed.status, code: replayed.body.code }).toEqual({ status: 401, code: 'AUTH_TOTP_INVALID' });

      t.clock.advance(MINUTE);
      const fresh = totpCode(target.totpSecret, t.clock.now());
      const both = await Promise.all([staffLogin(OWNER_IP, target.loginId, { totpCode: fresh }), staffLogin('127.0.0.2', target.loginId, { totpCode: fresh })]);
      expect(both.map((reply) => reply.status).sort()).toEqual([200, 401]);
    });

    it('lets an administrator reset another one’s TOTP (new secret shown once, old one dead, sessions ended, audited), never their own', async () => {
      const target = await id.administrator('admin.lost-phone');
      const resetter = await id.administrator('admin.resetter');
      expectError(await request(server).post(`/api/v1/admin/staff/${resetter.id}/totp/reset`).auth(resetter.token, { type: 'bearer' }), 403, 'IDENTITY_OWN_TOTP_RESET');

      const reset = await request(server).post(`/api/v1/admin/staff/${target.id}/totp/reset`).auth(resetter.token, { type: 'bearer' }).expect(200);
      expect(reset.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUri: expect.stringContaining('otpauth://totp/') });
      expect(await auditCount('auth.totp.reset', target.id)).toBe(1);
      expectError(await request(server).get('/api/v1/auth/me').auth(target.token, { type: 'bearer' }), 401, 'AUTH_UNAUTHENTICATED');

      t.clock.advance(MINUTE);
      const old = await staffLogin(OWNER_IP, target.loginId, { totpCode: totpCode(target.totpSecret, t.clock.now()) });
      expect(old.status).toBe(401);
      expect((await staffLogin(OWNER_IP, target.loginId, { totpCode: totpCode(reset.body.secret, t.clock.now()) })).status).toBe(200);
    });

    it('counts a wrong TOTP code as a failure of the address', async () => {
      const target = await id.administrator('admin.wrong-codes');
      for (let n = 0; n < 5; n += 1) {
        expect((await staffLogin(attacker(90), target.loginId, { totpCode: wrongTotpCode(target.totpSecret, t.clock.now()) })).body.code).toBe('AUTH_TOTP_INVALID');
      }
      expect((await staffLogin(attacker(90), target.loginId, { totpCode: totpCode(target.totpSecret, t.clock.now()) })).status).toBe(429);
    });
  });

  describe('limits that are not sign-ins', () => {
    it('does not put /auth/me behind the sign-in limiter: 40 reads in a minute all answer', async () => {
      const resident = await id.resident('reader@example.jp');
      const statuses: number[] = [];
      for (let n = 0; n < 40; n += 1) statuses.push((await request(server).get('/api/v1/auth/me').auth(resident.token, { type: 'bearer' })).status);
      expect(statuses).toEqual(Array(40).fill(200));
    });
  });

  describe('password strength', () => {
    it('refuses a long but guessable password with the estimator’s advice in Japanese and English', async () => {
      const refused = await id.register('weak@example.jp', 'aaaaaaaaaaaa');
      expectError(refused, 422, 'AUTH_WEAK_PASSWORD');
      expect(refused.body.details).toMatchObject({ reason: 'tooGuessable', minScore: 3, score: expect.any(Number), warning: { ja: expect.any(String), en: expect.any(String) } });
      expect(refused.body.details.suggestions.length).toBeGreaterThan(0);
      expect(refused.body.details.warning.ja).not.toBe(refused.body.details.warning.en);
      expectError(await id.register('weak@example.jp', 'password1234'), 422, 'AUTH_WEAK_PASSWORD');
      expect((await id.register('weak@example.jp', 'short')).body.details).toMatchObject({ reason: 'tooShort', minLength: 12 });
    });

    it('refuses a password built from the person’s own e-mail address or login id', async () => {
      expectError(await id.register('yamada.hanako@example.jp', 'yamada.hanako@example.jp'), 422, 'AUTH_WEAK_PASSWORD');
      // 'suzuki.ichiro1' scores 3 for anybody else; for suzuki.ichiro it is their own login id plus a digit.
      const created = await request(server)
        .post('/api/v1/admin/staff')
        .auth(await adminToken(), { type: 'bearer' })
        .send({ loginId: 'suzuki.ichiro', password: 'suzuki.ichiro1', displayName: '鈴木 一郎', roles: ['clerk'], approvalLevel: null, departments: ['shimin'], active: true });
      expectError(created, 422, 'AUTH_WEAK_PASSWORD');
    });
  });
});
