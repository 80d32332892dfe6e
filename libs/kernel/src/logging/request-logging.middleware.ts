import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithRequestContext } from './request-context';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (kept from `X-Request-Id` when it is sane) and
 * writes one access line when it ends. Only method, route template, status
 * and duration: never bodies, query strings or headers, which can carry
 * personal data.
 */
@Injectable()
export class RequestLoggingMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');

  use(request: Request, response: Response, next: NextFunction): void {
    const incoming = request.header('x-request-id');
    const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    runWithRequestContext({ requestId }, () => {
      response.on('finish', () => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        this.logger.log({
          msg: 'request',
          requestId,
          method: request.method,
          route: request.route?.path ?? 'unmatched',
          status: response.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        });
      });
      next();
    });
  }
}
