import { Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * Browser forms post application/x-www-form-urlencoded; the API takes only
 * JSON, so this parser is mounted on the form routes of My Number Card
 * sign-in and signing alone, with a small limit.
 */
@Injectable()
export class MyNumberFormBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, next);
  }
}
