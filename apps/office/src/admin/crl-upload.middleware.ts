import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The part of multer used here (it ships without types; @nestjs/platform-express depends on it). */
interface Multer {
  (options: { storage: unknown; limits: { fileSize: number; files: number; fields: number; fieldSize: number } }): { single(field: string): RequestHandler };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

/** The admin CRL route takes 10 MB of CRL (CrlUploadDto's limit); a national CRL is a few MB. */
export const MAX_CRL_BYTES = 10_000_000;

/**
 * The CRL upload form is multipart (a file). Parsed here, before the access
 * guard, so the guard sees the form's hidden `_csrf` field; kept in memory
 * (never written to disk) and bounded: one file, a few small fields.
 */
@Injectable()
export class CrlUploadMiddleware implements NestMiddleware {
  private readonly parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_CRL_BYTES, files: 1, fields: 5, fieldSize: 1024 } }).single('crl');

  use(request: Request, response: Response, next: NextFunction): void {
    if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return next();
    this.parse(request, response, (error?: unknown) => next(error));
  }
}
