import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { AUTH_LIMITS, RateLimiter } from './rate-limiter';

/**
 * Per-IP limit on every route of the controllers it guards (the sign-in
 * routes). Per-account limits are applied where the account is known.
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { municipalityId?: MunicipalityId }>();
    if (!request.municipalityId) return true;
    await this.limiter.hit(request.municipalityId, `ip:${request.ip}:${request.route?.path ?? request.path}`, AUTH_LIMITS.perIp);
    return true;
  }
}
