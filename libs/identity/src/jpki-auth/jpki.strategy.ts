import { Injectable, ValidationPipe } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { IdentityError } from '../identity.errors';
import { AUTH_LIMITS, RateLimiter } from '../rate-limit/rate-limiter';
import { JpkiLoginDto } from '../dto/auth.dto';
import { JpkiAuthService } from './jpki-auth.service';

/**
 * Guards run before pipes, so the global ValidationPipe sees the login body
 * only after this strategy has spent the nonce and perhaps created the
 * account. The body is checked here first, with the global pipe's options.
 */
const LOGIN_BODY = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });

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
    const body = (await LOGIN_BODY.transform(request.body, { type: 'body', metatype: JpkiLoginDto })) as JpkiLoginDto;
    return { residentId: await this.jpki.login(municipalityId, body) };
  }
}
