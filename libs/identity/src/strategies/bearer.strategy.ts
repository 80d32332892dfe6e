import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { PrincipalResolver } from '../access/principal.resolver';
import type { Principal } from '../access/principal';

/** `Authorization: Bearer <access token>` for API clients and the apps. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly principals: PrincipalResolver) {
    super();
  }

  async validate(token: string): Promise<Principal | false> {
    return (await this.principals.fromToken(token, 'bearer')) ?? false;
  }
}
