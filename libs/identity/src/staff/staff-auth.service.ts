import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { Secret, TOTP } from 'otpauth';
import { STAFF_LOCK_MS, STAFF_LOCK_THRESHOLD, type StaffAccount } from '../accounts/account.types';
import { type LoginAttempt, LoginThrottle } from '../rate-limit/login-throttle';
import { StaffRepository } from '../accounts/staff.repository';
import { FieldCipher } from '../crypto/field-cipher';
import { verifyPassword } from '../crypto/passwords';
import { IdentityError } from '../identity.errors';
import { IdentityAudit } from '../identity-audit';
import { SessionService, type IssuedTokens } from '../sessions/session.service';

const TOTP_ISSUER = 'Madoguchi';
const TOTP_PERIOD_SECONDS = 30;

export function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** Staff sign-in: password, then a TOTP code when enrolled; administrators must be enrolled. */
@Injectable()
export class StaffAuthService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly cipher: FieldCipher,
    private readonly sessions: SessionService,
    private readonly audit: IdentityAudit,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  /**
   * Password, then the TOTP code when enrolled (administrators must be).
   * Every failure slows the address down (LoginThrottle) and counts towards
   * the staff lock. A locked account still lets its owner in from an address
   * that has not failed on it, with the right password and a valid code: the
   * lock is there to alert administrators, not to hand strangers a switch
   * that keeps staff out.
   */
  async authenticate(
    municipalityId: MunicipalityId,
    loginId: string,
    password: string,
    totpCode: string | undefined,
    context: { attempt: LoginAttempt; addressHasFailed: boolean },
  ): Promise<StaffAccount> {
    const account = await this.staff.findByLoginId(municipalityId, loginId);
    const now = this.clock.now();
    const enrolled = Boolean(account?.totpEnabledAt && account.totpSecretEnc);
    if (account?.lockedUntil && account.lockedUntil > now && (context.addressHasFailed || !enrolled || !totpCode)) {
      await this.audit.loginFailed(municipalityId, 'staff', account.id, 'locked');
      throw IdentityError.locked(account.lockedUntil);
    }
    const valid = await verifyPassword(account?.passwordHash ?? null, password);
    if (!account || !valid || !account.active) {
      await this.fail(municipalityId, account, context.attempt, account && !account.active ? 'inactive' : 'invalid credentials');
      throw IdentityError.invalidCredentials();
    }
    if (enrolled) {
      if (!totpCode) throw IdentityError.totpRequired();
      const step = this.checkTotp(municipalityId, account, totpCode);
      if (step === null) {
        await this.fail(municipalityId, account, context.attempt, 'invalid totp');
        throw IdentityError.totpInvalid();
      }
      // A code signs in once: one seen over a shoulder or in a proxy log is spent.
      if (!(await this.staff.claimTotpStep(municipalityId, account.id, step))) {
        await this.fail(municipalityId, account, context.attempt, 'totp reused');
        throw IdentityError.totpInvalid();
      }
    } else if (account.roles.includes('administrator')) {
      await this.audit.loginFailed(municipalityId, 'staff', account.id, 'totp not enrolled');
      throw IdentityError.totpEnrollmentRequired();
    }
    await this.staff.recordSuccessfulLogin(municipalityId, account.id);
    await this.throttle.recordSuccess(municipalityId, context.attempt);
    return account;
  }

  private async fail(municipalityId: MunicipalityId, account: StaffAccount | null, attempt: LoginAttempt, reason: string): Promise<void> {
    await this.throttle.recordFailure(municipalityId, attempt);
    await this.audit.loginFailed(municipalityId, 'staff', account?.id ?? null, reason);
    if (!account) return;
    const lockUntil = new Date(this.clock.now().getTime() + STAFF_LOCK_MS);
    const { locked } = await this.staff.recordFailedLogin(municipalityId, account.id, STAFF_LOCK_THRESHOLD, lockUntil);
    if (locked) await this.audit.staffLocked(municipalityId, account.id, lockUntil, STAFF_LOCK_THRESHOLD);
  }

  async startSession(municipalityId: MunicipalityId, account: StaffAccount, transport: 'bearer' | 'cookie'): Promise<IssuedTokens> {
    const method = account.totpEnabledAt ? 'password+totp' : 'password';
    const tokens = await this.sessions.issue(municipalityId, { kind: 'staff', id: account.id }, transport, method);
    await this.audit.loginSucceeded(municipalityId, 'staff', account.id, method, tokens.sessionId);
    return tokens;
  }

  /** Starts enrolment: a new secret, not active until a code from it is confirmed. */
  async beginTotpEnrollment(municipalityId: MunicipalityId, staffId: string): Promise<{ secret: string; otpauthUri: string }> {
    const account = await this.staff.findById(municipalityId, staffId);
    if (!account) throw IdentityError.notFound();
    // Starting over would switch the confirmed factor off (and let a stolen
    // session drop it for good); replacing one needs a flow that proves the old.
    if (account.totpEnabledAt) throw IdentityError.conflict('TOTP enrolment');
    const secret = new Secret({ size: 20 }).base32;
    await this.staff.setTotp(municipalityId, staffId, this.cipher.encrypt(secret, totpContext(municipalityId, staffId)), null, this.clock.now());
    return { secret, otpauthUri: totpFor(secret, account.loginId).toString() };
  }

  async confirmTotpEnrollment(municipalityId: MunicipalityId, staffId: string, code: string): Promise<void> {
    const account = await this.staff.findById(municipalityId, staffId);
    if (!account?.totpSecretEnc) throw IdentityError.notFound();
    const step = this.checkTotp(municipalityId, account, code);
    if (step === null) throw IdentityError.totpInvalid();
    await this.staff.setTotp(municipalityId, staffId, account.totpSecretEnc, this.clock.now(), this.clock.now());
    // The confirming code is spent too: it cannot sign in afterwards.
    await this.staff.claimTotpStep(municipalityId, staffId, step);
  }

  /** The time step the code belongs to (one step of clock drift either side is accepted), or null. */
  private checkTotp(municipalityId: MunicipalityId, account: StaffAccount, code: string): number | null {
    if (!/^[0-9]{6}$/.test(code) || !account.totpSecretEnc) return null;
    const secret = this.cipher.decrypt(account.totpSecretEnc, totpContext(municipalityId, account.id));
    const timestamp = this.clock.now().getTime();
    const delta = totpFor(secret, account.loginId).validate({ token: code, timestamp, window: 1 });
    return delta === null ? null : Math.floor(timestamp / 1000 / TOTP_PERIOD_SECONDS) + delta;
  }
}

export function totpContext(municipalityId: MunicipalityId, staffId: string): string {
  return `totp:${municipalityId}:${staffId}`;
}
