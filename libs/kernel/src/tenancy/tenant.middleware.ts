import { createParamDecorator, ExecutionContext, Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isMunicipalityId, type MunicipalityId } from './municipality-id';
import { TenancyError } from './tenancy.errors';

/** What the tenancy middleware needs to know about served municipalities. */
export interface TenantDirectory {
  has(id: string): boolean;
  readonly defaultId: string | null;
}

export const TENANT_DIRECTORY = Symbol('TENANT_DIRECTORY');

export const MUNICIPALITY_HEADER = 'x-municipality-id';

type TenantRequest = Request & { municipalityId?: MunicipalityId; municipalityExplicit?: boolean };

/**
 * Scopes every request to one municipality: the X-Municipality-Id header, or
 * the instance's default for single-city deployments. (Authenticated staff
 * and residents are bound to their own municipality by the identity layer.)
 */
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  constructor(@Inject(TENANT_DIRECTORY) private readonly directory: TenantDirectory) {}

  use(request: TenantRequest, _response: Response, next: NextFunction): void {
    const header = request.header(MUNICIPALITY_HEADER)?.trim();
    // A signed-in caller's own municipality wins over the default; an explicit
    // header that names another one is refused by the access guard.
    request.municipalityExplicit = Boolean(header);
    const requested = header || this.directory.defaultId;
    if (!requested) throw TenancyError.required();
    if (!isMunicipalityId(requested) || !this.directory.has(requested)) throw TenancyError.unknown();
    request.municipalityId = requested;
    next();
  }
}

/** The municipality the current request is scoped to. */
export const CurrentMunicipality = createParamDecorator((_data: unknown, context: ExecutionContext): MunicipalityId => {
  const request = context.switchToHttp().getRequest<TenantRequest>();
  if (!request.municipalityId) throw TenancyError.required();
  return request.municipalityId;
});
