import { Inject, Injectable, type NestMiddleware, NotFoundException } from '@nestjs/common';
import type { AppConfig, ServedApp } from '@madoguchi/config';
import { API_PREFIX, APP_CONFIG } from '@madoguchi/kernel';
import type { NextFunction, Request, Response } from 'express';

/**
 * Which app a path belongs to. Health checks and the simulated outside
 * parties (payment provider, digital authentication) belong to no app: a
 * load balancer and the stand-ins must reach every process.
 */
export function appOfPath(path: string): ServedApp | null {
  if (path === '/health' || path.startsWith('/health/')) return null;
  if (path.startsWith('/simulated-provider/') || path.startsWith('/simulated-digital-auth')) return null;
  if (path === `/${API_PREFIX}` || path.startsWith(`/${API_PREFIX}/`) || path.startsWith('/api/docs')) return 'api';
  if (path === '/office' || path.startsWith('/office/')) return 'office';
  return 'portal';
}

/**
 * Every app's routes are compiled into one Nest application (the libraries
 * declare their JSON controllers), so serving a subset (`APPS`) is decided
 * here, before routing: a path of an app this process does not serve is 404,
 * exactly as if the route did not exist.
 */
@Injectable()
export class ServedAppsMiddleware implements NestMiddleware {
  private readonly served: ReadonlySet<ServedApp>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.served = new Set(config.apps);
  }

  use(request: Request, _response: Response, next: NextFunction): void {
    const app = appOfPath(request.path);
    if (app !== null && !this.served.has(app)) throw new NotFoundException();
    next();
  }
}
