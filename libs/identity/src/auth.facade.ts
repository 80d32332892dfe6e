import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, type MunicipalityId } from '@madoguchi/kernel';
import type { Response } from 'express';
import type { Principal, ResidentPrincipal, StaffPrincipal } from './access/principal';
import type { StaffAccount } from './accounts/account.types';
import { ResidentRepository } from './accounts/resident.repository';
import { IdentityError } from './identity.errors';
import { type TokensDto, toTokens } from './dto/auth-response.dto';
import { AUTH_LIMITS, RateLimiter } from './rate-limit/rate-limiter';
import { ResidentAuthService } from './residents/resident-auth.service';
import { COOKIE_SESSION_TTL_MS, type IssuedTokens, SessionService } from './sessions/session.service';
import { StaffAuthService } from './staff/staff-auth.service';
import { SESSION_COOKIE } from './strategies/session-cookie.strategy';
import { IndividualNumberService } from './my-number/individual-number.service';

const ACCEPTED = { status: 'accepted' };

/** The HTTP side of signing in: rate limits, tokens or cookies, sign-out. */
@Injectable()
export class AuthFacade {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residentAuth: ResidentAuthService,
    private readonly staffAuth: StaffAuthService,
    private readonly sessions: SessionService,
    private readonly limiter: RateLimiter,
    private readonly residents: ResidentRepository,
    private readonly individualNumbers: IndividualNumberService,
  ) {}

  /**
   * Limited per address and IP (429), so nobody spends another caller's
   * allowance; a cap per address past which the answer is the same but no
   * mail goes out stops a mailbox being flooded from many addresses.
   */
  async register(municipalityId: MunicipalityId, ip: string, email: string, password: string): Promise<{ status: string }> {
    await this.limiter.hit(municipalityId, `register:${email.toLowerCase()}:${ip}`, AUTH_LIMITS.perAddressAndIp, IdentityError.rateLimited);
    await this.residentAuth.register(municipalityId, email, password, () => this.limiter.tryHit(municipalityId, `mail:${email.toLowerCase()}`, AUTH_LIMITS.mailsPerAddress));
    return ACCEPTED;
  }

  verifyEmail(municipalityId: MunicipalityId, token: string): Promise<void> {
    return this.residentAuth.verifyEmail(municipalityId, token);
  }

  async residentSession(
    municipalityId: MunicipalityId,
    residentId: string,
    transport: 'bearer' | 'cookie',
    response: Response,
    method: 'password' | 'jpki' = 'password',
  ): Promise<TokensDto> {
    const tokens = await this.residentAuth.startSession(municipalityId, residentId, transport, method);
    return this.deliver(tokens, transport, response);
  }

  async staffSession(municipalityId: MunicipalityId, account: StaffAccount, transport: 'bearer' | 'cookie', response: Response): Promise<TokensDto> {
    const tokens = await this.staffAuth.startSession(municipalityId, account, transport);
    return this.deliver(tokens, transport, response);
  }

  async requestPasswordReset(municipalityId: MunicipalityId, ip: string, email: string): Promise<{ status: string }> {
    await this.limiter.hit(municipalityId, `reset:${email.toLowerCase()}:${ip}`, AUTH_LIMITS.perAddressAndIp, IdentityError.rateLimited);
    if (await this.limiter.tryHit(municipalityId, `mail:${email.toLowerCase()}`, AUTH_LIMITS.mailsPerAddress)) {
      await this.residentAuth.requestPasswordReset(municipalityId, email);
    }
    return ACCEPTED;
  }

  confirmPasswordReset(municipalityId: MunicipalityId, token: string, password: string): Promise<void> {
    return this.residentAuth.confirmPasswordReset(municipalityId, token, password);
  }

  changePassword(resident: ResidentPrincipal, current: string, next: string): Promise<void> {
    return this.residentAuth.changePassword(resident.municipalityId, resident.id, resident.sessionId, current, next);
  }

  beginTotp(staff: StaffPrincipal): Promise<{ secret: string; otpauthUri: string }> {
    return this.staffAuth.beginTotpEnrollment(staff.municipalityId, staff.id);
  }

  confirmTotp(staff: StaffPrincipal, code: string): Promise<void> {
    return this.staffAuth.confirmTotpEnrollment(staff.municipalityId, staff.id, code);
  }

  async refresh(refreshToken: string): Promise<TokensDto> {
    const { tokens } = await this.sessions.refresh(refreshToken);
    return toTokens(tokens, 'bearer');
  }

  async logout(principal: Principal, response: Response): Promise<void> {
    await this.sessions.revoke(principal.municipalityId, principal.sessionId, 'logout');
    if (principal.transport === 'cookie') response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  async me(principal: Principal): Promise<Record<string, unknown>> {
    if (principal.kind === 'staff') {
      return {
        kind: 'staff',
        id: principal.id,
        municipalityId: principal.municipalityId,
        roles: principal.roles,
        approvalLevel: principal.approvalLevel,
        departments: principal.departments,
        authMethod: principal.authMethod,
      };
    }
    const resident = await this.residents.findById(principal.municipalityId, principal.id);
    return {
      kind: 'resident',
      id: principal.id,
      municipalityId: principal.municipalityId,
      email: resident?.email ?? null,
      emailVerified: Boolean(resident?.emailVerifiedAt),
      myNumberCardLinked: Boolean(resident?.jpkiSubject),
      individualNumber: await this.individualNumbers.masked(principal.municipalityId, principal.id),
      authMethod: principal.authMethod,
    };
  }

  private deliver(tokens: IssuedTokens, transport: 'bearer' | 'cookie', response: Response): TokensDto {
    if (transport === 'cookie') {
      response.cookie(SESSION_COOKIE, tokens.accessToken, {
        httpOnly: true,
        secure: this.config.cookieSecure,
        sameSite: 'lax',
        path: '/',
        maxAge: COOKIE_SESSION_TTL_MS,
      });
    }
    return toTokens(tokens, transport);
  }
}
