import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { safeEqual, tokenHash } from '../crypto/tokens';
import { IdentityError } from '../identity.errors';
import { readSessionCookie } from '../strategies/session-cookie.strategy';
import { ACCESS_RULE, type AccessRule } from './access.decorators';
import type { Principal } from './principal';

type GuardedRequest = Request & { principal?: Principal; user?: Principal; municipalityId?: MunicipalityId; municipalityExplicit?: boolean };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate of every route: reads the route's declared rule (none means
 * refuse), authenticates through passport (bearer token or session cookie),
 * binds the request to the caller's municipality, checks CSRF for cookie
 * sessions and then the rule.
 */
@Injectable()
export class AccessGuard extends AuthGuard(['bearer', 'session-cookie']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) throw IdentityError.accessRuleMissing();
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const presented = Boolean(request.headers.authorization) || Boolean(readSessionCookie(request));
    if (!presented) {
      if (rule.kind === 'public') return true;
      throw IdentityError.unauthenticated();
    }
    try {
      await super.canActivate(context);
    } catch (error) {
      // A stale token on a public page is no reason to refuse the page.
      if (rule.kind === 'public') return true;
      throw error;
    }
    const principal = request.user as Principal;
    request.principal = principal;
    if (request.municipalityExplicit && request.municipalityId !== principal.municipalityId) throw IdentityError.tenantMismatch();
    request.municipalityId = principal.municipalityId;
    // A public route does not act on the session, so it needs no CSRF token
    // (a stale cookie must not block signing in again).
    if (principal.transport === 'cookie' && rule.kind !== 'public' && !SAFE_METHODS.has(request.method)) {
      // A plain HTML form cannot send a header: pages put the token in a hidden `_csrf` field.
      const formCsrf = typeof (request.body as { _csrf?: unknown } | undefined)?._csrf === 'string' ? (request.body as { _csrf: string })._csrf : undefined;
      const presentedCsrf = request.header('x-csrf-token') ?? formCsrf;
      if (!presentedCsrf || !principal.csrfHash || !safeEqual(tokenHash(presentedCsrf), principal.csrfHash)) throw IdentityError.csrf();
    }
    switch (rule.kind) {
      case 'public':
      case 'authenticated':
        return true;
      case 'resident':
        if (principal.kind !== 'resident') throw IdentityError.forbidden();
        return true;
      case 'staff':
        if (principal.kind !== 'staff' || !principal.roles.some((role) => rule.roles.includes(role))) throw IdentityError.forbidden();
        return true;
    }
  }

  override handleRequest<T = Principal>(error: unknown, user: T | false): T {
    if (error) throw error;
    if (!user) throw IdentityError.unauthenticated();
    return user;
  }
}
