import { StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, OutboxDispatcher } from '@madoguchi/kernel';
import { type ApprovalLevel, type StaffRole } from '@madoguchi/workflow';
import type { Server } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { SAMPLE_MUNICIPALITY, type TestApp } from './test-app';
import { type TestMailbox, tokenFromLink } from './test-mailbox';

/** Long enough for the password rule; shared so argon2 hashes once per account. */
export const PASSWORD = 'correct-horse-battery-staple';

export interface BearerTokens {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  csrfToken: null;
}

export interface StaffHandle {
  id: string;
  loginId: string;
  municipalityId: string;
  token: string;
}

/** The current TOTP code of a secret at the test clock's time. */
export function totpCode(secretBase32: string, at: Date): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) }).generate({ timestamp: at.getTime() });
}

/** A six-digit code that the secret does not accept at `at` (the server allows one step either side). */
export function wrongTotpCode(secretBase32: string, at: Date): string {
  const accepted = [-30_000, 0, 30_000].map((offset) => totpCode(secretBase32, new Date(at.getTime() + offset)));
  return ['000000', '111111', '222222', '333333'].find((code) => !accepted.includes(code))!;
}

/** The one error shape every refusal has. */
export function expectError(response: request.Response, statusCode: number, code: string): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status: statusCode, code });
  expect(response.body).toMatchObject({ statusCode, message: { ja: expect.any(String), en: expect.any(String) }, requestId: expect.any(String) });
}

/**
 * Signs people in through the HTTP API the way a client would, with the
 * mail going through the real outbox and a real SMTP server.
 */
export class IdentityDriver {
  readonly server: Server;

  constructor(
    private readonly t: TestApp,
    private readonly mailbox: TestMailbox,
  ) {
    this.server = t.app.getHttpServer();
  }

  /**
   * Runs the outbox as the worker would until no mail is due. Other topics
   * (a payment request this build has no handler for, say) may stay pending;
   * a mail that failed fails the test.
   */
  async deliverMail(): Promise<void> {
    for (let round = 0; round < 10; round += 1) {
      await this.t.get(OutboxDispatcher).dispatchDue();
      const [mail]: Array<{ due: number; error: string | null }> = await this.t.dataSource.query(
        `SELECT count(*) FILTER (WHERE status = 'pending' AND available_at <= $1)::int AS due,
                max(last_error) FILTER (WHERE status <> 'delivered') AS error
           FROM outbox WHERE topic = 'mail.send'`,
        [this.t.clock.now()],
      );
      if (mail.error) throw new Error(`mail delivery failed: ${mail.error}`);
      if (mail.due === 0) return;
    }
    throw new Error('mail still due after 10 outbox rounds');
  }

  register(email: string, password = PASSWORD, municipalityId = SAMPLE_MUNICIPALITY): request.Test {
    return request(this.server).post('/api/v1/auth/residents/register').set('X-Municipality-Id', municipalityId).send({ email, password });
  }

  /** Registers, follows the mailed link and returns nothing: the account can sign in. */
  async registerVerified(email: string, password = PASSWORD, municipalityId = SAMPLE_MUNICIPALITY): Promise<void> {
    await this.register(email, password, municipalityId).expect(202);
    await this.deliverMail();
    const token = tokenFromLink(this.mailbox.take(email), 'verify-email');
    await request(this.server).post('/api/v1/auth/residents/verify-email').set('X-Municipality-Id', municipalityId).send({ token }).expect(204);
  }

  residentLogin(email: string, password = PASSWORD, extra: Record<string, unknown> = {}, municipalityId = SAMPLE_MUNICIPALITY): request.Test {
    return request(this.server).post('/api/v1/auth/residents/login').set('X-Municipality-Id', municipalityId).send({ email, password, ...extra });
  }

  async residentTokens(email: string, password = PASSWORD, municipalityId = SAMPLE_MUNICIPALITY): Promise<BearerTokens> {
    const response = await this.residentLogin(email, password, {}, municipalityId);
    if (response.status !== 200) throw new Error(`resident login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as BearerTokens;
  }

  /** A registered, verified resident with a bearer access token. */
  async resident(email: string, municipalityId = SAMPLE_MUNICIPALITY): Promise<{ id: string; token: string }> {
    await this.registerVerified(email, PASSWORD, municipalityId);
    const { accessToken } = await this.residentTokens(email, PASSWORD, municipalityId);
    const me = await request(this.server).get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    return { id: me.body.id as string, token: accessToken };
  }

  staffLogin(loginId: string, password = PASSWORD, extra: Record<string, unknown> = {}, municipalityId = SAMPLE_MUNICIPALITY): request.Test {
    return request(this.server).post('/api/v1/auth/staff/login').set('X-Municipality-Id', municipalityId).send({ loginId, password, ...extra });
  }

  /** A staff account made the way an administrator would, signed in with a bearer token. */
  async staff(
    loginId: string,
    roles: StaffRole[],
    options: { departments?: string[]; approvalLevel?: ApprovalLevel; municipalityId?: string } = {},
  ): Promise<StaffHandle> {
    const municipalityId = options.municipalityId ?? SAMPLE_MUNICIPALITY;
    const account = await this.t.get(StaffAdminService).create(asMunicipalityId(municipalityId), 'test-setup', {
      loginId,
      password: PASSWORD,
      displayName: loginId,
      roles,
      approvalLevel: options.approvalLevel ?? null,
      departments: options.departments ?? [],
      active: true,
    });
    const response = await this.staffLogin(loginId, PASSWORD, {}, municipalityId);
    if (response.status !== 200) throw new Error(`staff login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { id: account.account.id, loginId, municipalityId, token: response.body.accessToken as string };
  }

  /** The first administrator (TOTP enrolled), signed in with password and code. */
  async administrator(loginId: string, municipalityId = SAMPLE_MUNICIPALITY): Promise<StaffHandle & { totpSecret: string }> {
    const created = await this.t.get(StaffAdminService).bootstrapAdministrator(asMunicipalityId(municipalityId), { loginId, displayName: loginId, password: PASSWORD });
    const response = await this.staffLogin(loginId, PASSWORD, { totpCode: totpCode(created.totpSecret, this.t.clock.now()) }, municipalityId).expect(200);
    return { id: created.id, loginId, municipalityId, token: response.body.accessToken as string, totpSecret: created.totpSecret };
  }
}

/**
 * Completes 11 digits to a valid individual number, computing the check digit
 * as the ordinance (and libs/identity/src/my-number/individual-number.ts)
 * defines it: weights 2..7 then 2..6 from the right, 11 minus the remainder.
 */
export function withCheckDigit(first11: string): string {
  if (!/^[0-9]{11}$/.test(first11)) throw new Error('eleven digits needed');
  let sum = 0;
  for (let n = 1; n <= 11; n += 1) {
    const digit = Number(first11[11 - n]);
    sum += digit * (n <= 6 ? n + 1 : n - 5);
  }
  const remainder = sum % 11;
  return `${first11}${remainder <= 1 ? 0 : 11 - remainder}`;
}
