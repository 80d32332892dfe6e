import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { parse } from 'cookie';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { PrincipalResolver } from '../access/principal.resolver';
import type { Principal } from '../access/principal';

export const SESSION_COOKIE = 'madoguchi_session';

export function readSessionCookie(request: Request): string | undefined {
  const header = request.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** The HTTP-only session cookie of the web pages; CSRF is checked by the access guard. */
@Injectable()
export class SessionCookieStrategy extends PassportStrategy(Strategy, 'session-cookie') {
  constructor(private readonly principals: PrincipalResolver) {
    super();
  }

  async validate(request: Request): Promise<Principal | false> {
    const token = readSessionCookie(request);
    return token ? ((await this.principals.fromToken(token, 'cookie')) ?? false) : false;
  }
}
