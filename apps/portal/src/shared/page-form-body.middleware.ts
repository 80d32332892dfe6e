import { Injectable, type NestMiddleware } from '@nestjs/common';
import { API_PREFIX, isUnstorableText, unstorableTextError } from '@madoguchi/kernel';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * Pages post plain HTML forms (application/x-www-form-urlencoded); the JSON
 * API takes only JSON. Parsed here, before the access guard, which reads the
 * hidden `_csrf` field. Small limits: a form page carries answers, never
 * files (uploads are multipart, parsed by their own route).
 */
@Injectable()
export class PageFormBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.path.startsWith(`/${API_PREFIX}/`)) return next();
    this.parse(request, response, (error?: unknown) => {
      if (error !== undefined) return next(error);
      const body = request.body as Record<string, unknown> | undefined;
      const unstorable = body && Object.entries(body).some(([key, value]) => isUnstorableText(key) || (typeof value === 'string' && isUnstorableText(value)));
      next(unstorable ? unstorableTextError() : undefined);
    });
  }
}
