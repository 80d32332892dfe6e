import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { StaffAccount } from '../accounts/account.types';
import { IdentityError } from '../identity.errors';
import { AUTH_LIMITS, RateLimiter } from '../rate-limit/rate-limiter';
import { ResidentAuthService } from '../residents/resident-auth.service';
import { StaffAuthService } from '../staff/staff-auth.service';
import { ResidentLoginDto, StaffLoginDto } from '../dto/auth.dto';
import { validateLoginBody } from './login-body';

type TenantRequest = Request & { municipalityId?: MunicipalityId };

function tenantOf(request: TenantRequest): MunicipalityId {
  if (!request.municipalityId) throw IdentityError.unauthenticated();
  return request.municipalityId;
}

/** E-mail and password of a resident; per-IP and per-account rate limits first. */
@Injectable()
export class ResidentPasswordStrategy extends PassportStrategy(Strategy, 'resident-password') {
  constructor(
    private readonly residents: ResidentAuthService,
    private readonly limiter: RateLimiter,
  ) {
    super();
  }

  async validate(request: TenantRequest): Promise<{ residentId: string }> {
    const municipalityId = tenantOf(request);
    const { email, password } = await validateLoginBody(request.body, ResidentLoginDto);
    await this.limiter.hit(municipalityId, `login-resident:${email.toLowerCase()}`, AUTH_LIMITS.perAccount);
    return { residentId: await this.residents.authenticate(municipalityId, email, password) };
  }
}

/** Login id, password and (when enrolled) TOTP of a staff member. */
@Injectable()
export class StaffPasswordStrategy extends PassportStrategy(Strategy, 'staff-password') {
  constructor(
    private readonly staff: StaffAuthService,
    private readonly limiter: RateLimiter,
  ) {
    super();
  }

  async validate(request: TenantRequest): Promise<{ account: StaffAccount }> {
    const municipalityId = tenantOf(request);
    const { loginId, password, totpCode } = await validateLoginBody(request.body, StaffLoginDto);
    await this.limiter.hit(municipalityId, `login-staff:${loginId}`, AUTH_LIMITS.perAccount);
    return { account: await this.staff.authenticate(municipalityId, loginId, password, totpCode) };
  }
}
