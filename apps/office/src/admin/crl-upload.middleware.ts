import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { memoryUpload } from '../shared/multipart-upload';

/** The admin CRL route takes 10 MB of CRL (CrlUploadDto's limit); a national CRL is a few MB. */
export const MAX_CRL_BYTES = 10_000_000;

/** The CRL upload form is multipart (a file): one file, a few small fields. */
@Injectable()
export class CrlUploadMiddleware implements NestMiddleware {
  private readonly parse = memoryUpload('crl', { fileSize: MAX_CRL_BYTES, fields: 5, fieldSize: 1024 });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, next);
  }
}
