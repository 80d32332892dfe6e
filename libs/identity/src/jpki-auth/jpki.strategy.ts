import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { IdentityError } from '../identity.errors';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { JpkiLoginDto } from '../dto/auth.dto';
import { JpkiAuthService } from './jpki-auth.service';

import { validateLoginBody } from '../strategies/login-body';

/** My Number Card sign-in: a signature over a server nonce with the authentication certificate. */
@Injectable()
export class JpkiStrategy extends PassportStrategy(Strategy, 'jpki') {
  constructor(
    private readonly jpki: JpkiAuthService,
    private readonly limiter: RateLimiter,
  ) {
    super();
  }

  async validate(request: Request & { municipalityId?: MunicipalityId }): Promise<{ residentId: string }> {
    const municipalityId = request.municipalityId;
    if (!municipalityId) throw IdentityError.unauthenticated();
    const body = await validateLoginBody(request.body, JpkiLoginDto);
    return { residentId: await this.jpki.login(municipalityId, body) };
  }
}
