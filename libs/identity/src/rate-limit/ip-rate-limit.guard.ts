import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { IdentityError } from '../identity.errors';
import { AUTH_LIMITS, RateLimiter } from './rate-limiter';

/**
 * Per-address flood limit on the routes that take credentials or tokens from
 * strangers (sign-in, registration, reset, refresh). It is put on those routes
 * one by one, not on a whole controller: cheap signed-in reads such as
 * /auth/me must not spend a sign-in allowance.
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { municipalityId?: MunicipalityId }>();
    if (!request.municipalityId) return true;
    await this.limiter.hit(request.municipalityId, `ip:${request.ip}:${request.route?.path ?? request.path}`, AUTH_LIMITS.perIp, IdentityError.rateLimited);
    return true;
  }
}
