import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, type MunicipalityId } from '@madoguchi/kernel';
import type { Response } from 'express';
import type { StaffPrincipal } from '../access/principal';
import type { StaffAccount } from '../accounts/account.types';
import { LoginThrottle } from '../rate-limit/login-throttle';
import { COOKIE_SESSION_TTL_MS, SessionService } from '../sessions/session.service';
import { SESSION_COOKIE } from '../strategies/session-cookie.strategy';
import { StaffAuthService } from './staff-auth.service';

export interface StaffCredentials {
  loginId: string;
  password: string;
  totpCode?: string;
}

/**
 * Staff sign-in as both doors use it: `POST /auth/staff/login` (through its
 * passport strategy) and the office's sign-in page. One place for the order
 * of checks (throttle first, then password, TOTP and the lock), so the page
 * cannot drift from the API.
 */
@Injectable()
export class StaffSignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staffAuth: StaffAuthService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
  ) {}

  /** The account the credentials prove, or a typed error (wrong password or code, 429 with the wait, 423 locked). */
  async verify(municipalityId: MunicipalityId, ip: string, credentials: StaffCredentials): Promise<StaffAccount> {
    const attempt = { kind: 'staff' as const, account: credentials.loginId, ip };
    const { addressHasFailed } = await this.throttle.assertAllowed(municipalityId, attempt);
    return this.staffAuth.authenticate(municipalityId, credentials.loginId, credentials.password, credentials.totpCode, { attempt, addressHasFailed });
  }

  /** Verifies and starts a cookie session (HTTP-only, SameSite=Lax), as the API's `transport: cookie` does. */
  async signInWithCookie(municipalityId: MunicipalityId, ip: string, credentials: StaffCredentials, response: Response): Promise<StaffAccount> {
    const account = await this.verify(municipalityId, ip, credentials);
    const tokens = await this.staffAuth.startSession(municipalityId, account, 'cookie');
    response.cookie(SESSION_COOKIE, tokens.accessToken, { httpOnly: true, secure: this.config.cookieSecure, sameSite: 'lax', path: '/', maxAge: COOKIE_SESSION_TTL_MS });
    return account;
  }

  async signOut(staff: StaffPrincipal, response: Response): Promise<void> {
    await this.sessions.revoke(staff.municipalityId, staff.sessionId, 'logout');
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  beginTotp(staff: StaffPrincipal): Promise<{ secret: string; otpauthUri: string }> {
    return this.staffAuth.beginTotpEnrollment(staff.municipalityId, staff.id);
  }

  confirmTotp(staff: StaffPrincipal, code: string): Promise<void> {
    return this.staffAuth.confirmTotpEnrollment(staff.municipalityId, staff.id, code);
  }
}
