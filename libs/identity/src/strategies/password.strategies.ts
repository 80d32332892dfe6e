import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { StaffAccount } from '../accounts/account.types';
import { IdentityError } from '../identity.errors';
import { ResidentAuthService } from '../residents/resident-auth.service';
import { StaffSignInService } from '../staff/staff-sign-in.service';
import { ResidentLoginDto, StaffLoginDto } from '../dto/auth.dto';
import { validateLoginBody } from './login-body';

type TenantRequest = Request & { municipalityId?: MunicipalityId };

function tenantOf(request: TenantRequest): MunicipalityId {
  if (!request.municipalityId) throw IdentityError.unauthenticated();
  return request.municipalityId;
}

/**
 * E-mail and password of a resident. Failed attempts slow down the pair of
 * account and address and the address (LoginThrottle); a resident is never
 * locked, so strangers cannot keep the owner out.
 */
@Injectable()
export class ResidentPasswordStrategy extends PassportStrategy(Strategy, 'resident-password') {
  constructor(private readonly residents: ResidentAuthService) {
    super();
  }

  async validate(request: TenantRequest): Promise<{ residentId: string }> {
    const municipalityId = tenantOf(request);
    const { email, password } = await validateLoginBody(request.body, ResidentLoginDto);
    return { residentId: await this.residents.signInWithPassword(municipalityId, email, password, request.ip ?? 'unknown') };
  }
}

/** Login id, password and (when enrolled) TOTP of a staff member; throttled like residents, plus the staff lock. */
@Injectable()
export class StaffPasswordStrategy extends PassportStrategy(Strategy, 'staff-password') {
  constructor(private readonly signIn: StaffSignInService) {
    super();
  }

  async validate(request: TenantRequest): Promise<{ account: StaffAccount }> {
    const municipalityId = tenantOf(request);
    const { loginId, password, totpCode } = await validateLoginBody(request.body, StaffLoginDto);
    return { account: await this.signIn.verify(municipalityId, request.ip ?? 'unknown', { loginId, password, totpCode }) };
  }
}
