import { Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * HTML forms of the simulated provider's pages post
 * application/x-www-form-urlencoded; the API itself takes only JSON, so this
 * parser is mounted on those pages alone, with a small limit.
 */
@Injectable()
export class FormBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, next);
  }
}
