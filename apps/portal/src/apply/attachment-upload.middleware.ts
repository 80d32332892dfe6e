import { Injectable, type NestMiddleware } from '@nestjs/common';
import { MAX_UPLOAD_BYTES } from '@madoguchi/applications';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The part of multer (a dependency of @nestjs/platform-express, shipped without types here) this file uses. */
interface Multer {
  (options: {
    storage: unknown;
    limits: { fileSize: number; files: number; fields: number; fieldSize: number; parts: number };
    defParamCharset: string;
  }): { single(field: string): RequestHandler };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

/** The uploaded file as the page controller reads it. */
export interface UploadedPageFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export type UploadRequest = Request & { file?: UploadedPageFile; uploadError?: 'tooLarge' | 'malformed' };

/**
 * Parses the attachments page's multipart form before the access guard, so
 * the hidden `_csrf` field (sent before the file) is seen. In memory, one
 * file, at most the hard ceiling of any upload (the procedure's own limit
 * is checked by AttachmentsService). A file over the ceiling or a broken
 * body is noted on the request for the page to say so, not thrown: an
 * error here would bypass the page's error handling.
 */
@Injectable()
export class AttachmentUploadMiddleware implements NestMiddleware {
  private readonly parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
    // File names as UTF-8 (a browser sends them so), not latin1.
    defParamCharset: 'utf8',
  }).single('file');

  use(request: UploadRequest, response: Response, next: NextFunction): void {
    if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return next();
    this.parse(request, response, (error?: unknown) => {
      if (error) request.uploadError = (error as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'malformed';
      next();
    });
  }
}
