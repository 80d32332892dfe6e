import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { Secret, TOTP } from 'otpauth';
import { lockUntilAfterFailure, type StaffAccount } from '../accounts/account.types';
import { StaffRepository } from '../accounts/staff.repository';
import { FieldCipher } from '../crypto/field-cipher';
import { verifyPassword } from '../crypto/passwords';
import { IdentityError } from '../identity.errors';
import { IdentityAudit } from '../identity-audit';
import { SessionService, type IssuedTokens } from '../sessions/session.service';

const TOTP_ISSUER = 'Madoguchi';

export function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/** Staff sign-in: password, then a TOTP code when enrolled; administrators must be enrolled. */
@Injectable()
export class StaffAuthService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly cipher: FieldCipher,
    private readonly sessions: SessionService,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  async authenticate(municipalityId: MunicipalityId, loginId: string, password: string, totpCode: string | undefined): Promise<StaffAccount> {
    const account = await this.staff.findByLoginId(municipalityId, loginId);
    const now = this.clock.now();
    if (account?.lockedUntil && account.lockedUntil > now) {
      await this.audit.loginFailed(municipalityId, 'staff', account.id, 'locked');
      throw IdentityError.locked(account.lockedUntil);
    }
    const valid = await verifyPassword(account?.passwordHash ?? null, password);
    if (!account || !valid || !account.active) {
      if (account) await this.staff.recordFailedLogin(municipalityId, account.id, (failed) => lockUntilAfterFailure(failed, now));
      await this.audit.loginFailed(municipalityId, 'staff', account?.id ?? null, account && !account.active ? 'inactive' : 'invalid credentials');
      throw IdentityError.invalidCredentials();
    }
    if (account.totpEnabledAt && account.totpSecretEnc) {
      if (!totpCode) throw IdentityError.totpRequired();
      if (!this.checkTotp(municipalityId, account, totpCode)) {
        await this.staff.recordFailedLogin(municipalityId, account.id, (failed) => lockUntilAfterFailure(failed, now));
        await this.audit.loginFailed(municipalityId, 'staff', account.id, 'invalid totp');
        throw IdentityError.totpInvalid();
      }
    } else if (account.roles.includes('administrator')) {
      await this.audit.loginFailed(municipalityId, 'staff', account.id, 'totp not enrolled');
      throw IdentityError.totpEnrollmentRequired();
    }
    await this.staff.recordSuccessfulLogin(municipalityId, account.id);
    return account;
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
    if (!this.checkTotp(municipalityId, account, code)) throw IdentityError.totpInvalid();
    await this.staff.setTotp(municipalityId, staffId, account.totpSecretEnc, this.clock.now(), this.clock.now());
  }

  private checkTotp(municipalityId: MunicipalityId, account: StaffAccount, code: string): boolean {
    if (!/^[0-9]{6}$/.test(code) || !account.totpSecretEnc) return false;
    const secret = this.cipher.decrypt(account.totpSecretEnc, totpContext(municipalityId, account.id));
    return totpFor(secret, account.loginId).validate({ token: code, timestamp: this.clock.now().getTime(), window: 1 }) !== null;
  }
}

export function totpContext(municipalityId: MunicipalityId, staffId: string): string {
  return `totp:${municipalityId}:${staffId}`;
}
