import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The part of multer used here (it ships without types; @nestjs/platform-express depends on it). */
interface Multer {
  (options: { storage: unknown; limits: { fileSize: number; files: number; fields: number; fieldSize: number } }): { single(field: string): RequestHandler };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

/** Set on the request when a limit cut the form short: the page says so by the field (400), never a 500. */
export const UPLOAD_LIMIT_EXCEEDED = 'uploadLimitExceeded';

export function uploadLimitExceeded(request: Request): boolean {
  return (request as Request & { [UPLOAD_LIMIT_EXCEEDED]?: boolean })[UPLOAD_LIMIT_EXCEEDED] === true;
}

/**
 * A multipart form with one file field, parsed before the access guard (so
 * the guard sees the hidden `_csrf` field, the form's first), kept in memory
 * (never written to disk) and bounded. Other content types pass through
 * untouched.
 */
export function memoryUpload(field: string, limits: { fileSize: number; fields: number; fieldSize: number }): (request: Request, response: Response, next: NextFunction) => void {
  const parse = multer({ storage: multer.memoryStorage(), limits: { ...limits, files: 1 } }).single(field);
  return (request, response, next) => {
    if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return next();
    parse(request, response, (error?: unknown) => {
      if (error && /^LIMIT_/.test(String((error as { code?: unknown }).code))) {
        (request as Request & { [UPLOAD_LIMIT_EXCEEDED]?: boolean })[UPLOAD_LIMIT_EXCEEDED] = true;
        return next();
      }
      next(error);
    });
  };
}
