import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, type MunicipalityId } from '@madoguchi/kernel';
import type { Response } from 'express';
import type { Principal, ResidentPrincipal, StaffPrincipal } from './access/principal';
import type { ResidentName, StaffAccount } from './accounts/account.types';
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

/** One signed-in device of a resident, as the "signed-in devices" page and route show it. */
export interface ResidentSessionDto {
  id: string;
  /** When the sign-in happened (ISO 8601). */
  signedInAt: string;
  /** How: `password` or `jpki` (My Number Card). */
  method: string;
  /** `cookie` for a browser, `bearer` for an app. */
  transport: 'bearer' | 'cookie';
  /** The session this request came with. */
  current: boolean;
}

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
  async register(municipalityId: MunicipalityId, ip: string, email: string, password: string, name: ResidentName | null = null): Promise<{ status: string }> {
    await this.limiter.hit(municipalityId, `register:${email.toLowerCase()}:${ip}`, AUTH_LIMITS.perAddressAndIp, IdentityError.rateLimited);
    const mayMail = () => this.limiter.tryHit(municipalityId, `mail:${email.toLowerCase()}`, AUTH_LIMITS.mailsPerAddress);
    await this.residentAuth.register(municipalityId, email, password, mayMail, name);
    return ACCEPTED;
  }

  /** "Send the link again": limited and capped like registering, and as quiet about whether the address exists. */
  async resendVerification(municipalityId: MunicipalityId, ip: string, email: string): Promise<{ status: string }> {
    await this.limiter.hit(municipalityId, `register:${email.toLowerCase()}:${ip}`, AUTH_LIMITS.perAddressAndIp, IdentityError.rateLimited);
    await this.residentAuth.resendVerification(municipalityId, email, () => this.limiter.tryHit(municipalityId, `mail:${email.toLowerCase()}`, AUTH_LIMITS.mailsPerAddress));
    return ACCEPTED;
  }

  /**
   * The portal's sign-in form: the same checks and throttle as the API's
   * strategy, then a new cookie session. The session the browser came with
   * (a resident's or a staff member's) is ended first: whatever identifier
   * was in the browser before sign-in is never the signed-in session.
   */
  async signInWithPassword(
    municipalityId: MunicipalityId,
    ip: string,
    credentials: { email: string; password: string },
    previous: Principal | undefined,
    response: Response,
  ): Promise<void> {
    const residentId = await this.residentAuth.signInWithPassword(municipalityId, credentials.email, credentials.password, ip);
    await this.rotateCookieSession(municipalityId, residentId, 'password', previous, response);
  }

  /** A new cookie session for a resident who has just proved who they are; the browser's earlier session ends. */
  async rotateCookieSession(municipalityId: MunicipalityId, residentId: string, method: 'password' | 'jpki', previous: Principal | undefined, response: Response): Promise<void> {
    if (previous?.transport === 'cookie') await this.sessions.revoke(previous.municipalityId, previous.sessionId, 'signed in again');
    await this.residentSession(municipalityId, residentId, 'cookie', response, method);
  }

  /** The resident's live sessions, this one marked. */
  async residentSessions(resident: ResidentPrincipal): Promise<ResidentSessionDto[]> {
    const sessions = await this.sessions.listLive(resident.municipalityId, { kind: 'resident', id: resident.id });
    return sessions.map((session) => ({
      id: session.id,
      signedInAt: session.createdAt.toISOString(),
      method: session.authMethod,
      transport: session.transport,
      current: session.id === resident.sessionId,
    }));
  }

  /** Ends every session of the resident, this one included (the cookie goes too). */
  async signOutEverywhere(resident: ResidentPrincipal, response: Response): Promise<void> {
    await this.sessions.revokeAllOf(resident.municipalityId, { kind: 'resident', id: resident.id }, 'signed out everywhere');
    if (resident.transport === 'cookie') response.clearCookie(SESSION_COOKIE, { path: '/' });
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
      name: resident?.name ?? null,
      nameKana: resident?.nameKana ?? null,
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
