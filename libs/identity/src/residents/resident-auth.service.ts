import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ResidentName } from '../accounts/account.types';
import { OneTimeTokenRepository } from '../accounts/one-time-token.repository';
import { ResidentRepository } from '../accounts/resident.repository';
import { assertStrongPassword } from '../crypto/password-strength';
import { hashPassword, verifyPassword } from '../crypto/passwords';
import { type LoginAttempt, LoginThrottle } from '../rate-limit/login-throttle';
import { tokenHash } from '../crypto/tokens';
import { IdentityError } from '../identity.errors';
import { MailService } from '../mail/mail.service';
import { IdentityAudit } from '../identity-audit';
import { SessionService, type IssuedTokens } from '../sessions/session.service';

/** Resident accounts with e-mail and password. Card sign-in is in JpkiAuthService. */
@Injectable()
export class ResidentAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly residents: ResidentRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly sessions: SessionService,
    private readonly mail: MailService,
    private readonly audit: IdentityAudit,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  /**
   * Always answers the same way, so the response does not tell whether an
   * address is registered; the mail does (to its owner only).
   */
  async register(
    municipalityId: MunicipalityId,
    email: string,
    password: string,
    mayMail: () => Promise<boolean> = async () => true,
    name: ResidentName | null = null,
  ): Promise<void> {
    await assertStrongPassword(password, [email]);
    const existing = await this.residents.findByEmail(municipalityId, email);
    if (existing) {
      if (await mayMail()) await this.mail.enqueue(municipalityId, 'alreadyRegistered', existing.id);
      return;
    }
    const id = randomUUID();
    const inserted = await this.residents.insert(municipalityId, { id, email, passwordHash: await hashPassword(password), jpkiSubject: null, now: this.clock.now(), name });
    if (inserted) await this.mail.enqueue(municipalityId, 'verifyEmail', id);
  }

  async verifyEmail(municipalityId: MunicipalityId, token: string): Promise<void> {
    const residentId = await this.tokens.consume(municipalityId, tokenHash(token), 'verifyEmail', this.clock.now());
    if (!residentId) throw IdentityError.tokenInvalid();
    await this.residents.markEmailVerified(municipalityId, residentId, this.clock.now());
  }

  /**
   * Checks e-mail and password; returns the resident id. A failure slows down
   * this address (LoginThrottle, checked by the strategy before this); the
   * account itself is never locked, so nobody else can keep its owner out.
   */
  async authenticate(municipalityId: MunicipalityId, email: string, password: string, attempt: LoginAttempt): Promise<string> {
    const resident = await this.residents.findByEmail(municipalityId, email);
    const valid = await verifyPassword(resident?.passwordHash ?? null, password);
    if (!resident || !valid) {
      await this.throttle.recordFailure(municipalityId, attempt);
      await this.audit.loginFailed(municipalityId, 'resident', resident?.id ?? null, 'invalid credentials');
      throw IdentityError.invalidCredentials();
    }
    await this.throttle.recordSuccess(municipalityId, attempt);
    if (!resident.emailVerifiedAt) throw IdentityError.emailNotVerified();
    return resident.id;
  }

  /**
   * Sign-in with e-mail and password as every caller does it (the API's
   * strategy and the portal's form): a pair or address being delayed is
   * refused (429 with the wait) before the password is even checked.
   */
  async signInWithPassword(municipalityId: MunicipalityId, email: string, password: string, ip: string): Promise<string> {
    const attempt = { kind: 'resident' as const, account: email.toLowerCase(), ip };
    await this.throttle.assertAllowed(municipalityId, attempt);
    return this.authenticate(municipalityId, email, password, attempt);
  }

  /**
   * "Send the link again" for an address that has not been confirmed: the
   * same quiet answer whether or not the address is registered, verified or
   * capped by `mayMail`.
   */
  async resendVerification(municipalityId: MunicipalityId, email: string, mayMail: () => Promise<boolean>): Promise<void> {
    const resident = await this.residents.findByEmail(municipalityId, email);
    if (!resident?.email || resident.emailVerifiedAt) return;
    if (await mayMail()) await this.mail.enqueue(municipalityId, 'verifyEmail', resident.id);
  }

  async startSession(municipalityId: MunicipalityId, residentId: string, transport: 'bearer' | 'cookie', method: string): Promise<IssuedTokens> {
    const tokens = await this.sessions.issue(municipalityId, { kind: 'resident', id: residentId }, transport, method);
    await this.audit.loginSucceeded(municipalityId, 'resident', residentId, method, tokens.sessionId);
    return tokens;
  }

  async requestPasswordReset(municipalityId: MunicipalityId, email: string): Promise<void> {
    const resident = await this.residents.findByEmail(municipalityId, email);
    if (resident?.email) await this.mail.enqueue(municipalityId, 'resetPassword', resident.id);
  }

  async confirmPasswordReset(municipalityId: MunicipalityId, token: string, newPassword: string): Promise<void> {
    const now = this.clock.now();
    const hash = tokenHash(token);
    // Check the new password before using up the link: a refused password
    // must not cost the resident the link and another mail.
    const pending = await this.tokens.findUsable(municipalityId, hash, 'resetPassword', now);
    if (!pending) throw IdentityError.tokenInvalid();
    await assertStrongPassword(newPassword, [(await this.residents.findById(municipalityId, pending))?.email]);
    const residentId = await this.tokens.consume(municipalityId, hash, 'resetPassword', now);
    if (!residentId) throw IdentityError.tokenInvalid();
    await this.residents.setPassword(municipalityId, residentId, await hashPassword(newPassword), now);
    // Other reset links mailed earlier die with this reset.
    await this.tokens.expireAll(municipalityId, residentId, 'resetPassword', now);
    // Whoever knew the old password is signed out everywhere.
    await this.sessions.revokeAllOf(municipalityId, { kind: 'resident', id: residentId }, 'password reset');
    // Reaching the link proves control of the mailbox.
    await this.residents.markEmailVerified(municipalityId, residentId, now);
  }

  async changePassword(municipalityId: MunicipalityId, residentId: string, sessionId: string, current: string, next: string): Promise<void> {
    const resident = await this.residents.findById(municipalityId, residentId);
    if (!resident || !(await verifyPassword(resident.passwordHash, current))) throw IdentityError.invalidCredentials();
    await assertStrongPassword(next, [resident.email]);
    await this.residents.setPassword(municipalityId, residentId, await hashPassword(next), this.clock.now());
    await this.sessions.revokeAllOf(municipalityId, { kind: 'resident', id: residentId }, 'password changed', sessionId);
  }
}
