import { Injectable, type NestMiddleware } from '@nestjs/common';
import { SIMULATED_DIGITAL_AUTH_PATH } from '@madoguchi/config';
import type { NextFunction, Request, Response } from 'express';
import { SimulatedDigitalAuthService } from './simulated-digital-auth.service';

/**
 * Hands `/simulated-digital-auth/*` to oidc-provider (discovery, JWKS,
 * authorization, PAR, token, userinfo), except the interaction pages, which
 * are ordinary Nest routes. Off (404 from Nest) unless the simulator is on.
 */
@Injectable()
export class SimulatedDigitalAuthMiddleware implements NestMiddleware {
  constructor(private readonly simulator: SimulatedDigitalAuthService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const url = request.originalUrl;
    if (!this.simulator.enabled || !url.startsWith(`${SIMULATED_DIGITAL_AUTH_PATH}/`)) return next();
    const mounted = url.slice(SIMULATED_DIGITAL_AUTH_PATH.length);
    if (mounted.startsWith('/interaction/')) return next();
    this.simulator.handle(request, response, mounted).catch(next);
  }
}
