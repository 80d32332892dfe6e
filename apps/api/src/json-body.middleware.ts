import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, isUnstorableText, RequestError, unstorableTextError } from '@madoguchi/kernel';
import { MAX_UPLOAD_BYTES } from '@madoguchi/applications';
import { MAX_VERIFY_PDF_BYTES } from '@madoguchi/documents';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * Parses JSON bodies inside Nest's middleware chain rather than as plain
 * express middleware, so malformed and oversized bodies reach the exception
 * filter and get the same error shape as everything else.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.parse = express.json({
      limit: config.bodyLimitBytes,
      strict: true,
      // Kept for signature checks over the exact bytes (payment webhooks).
      verify: (request, _response, buffer) => {
        (request as Request & { rawBody?: Buffer }).rawBody = buffer;
      },
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => {
      if (error !== undefined) return next(toRequestError(error));
      // Valid JSON that would still fail later as a 500: recursion in the
      // validation pipe overflows on deep nesting, PostgreSQL refuses NUL.
      const problem = request.body === undefined ? null : jsonBodyProblem(request.body);
      next(problem ?? undefined);
    });
  }
}

/** Deeper than any form needs; the validation pipe recurses once per level. */
export const MAX_JSON_DEPTH = 32;

/** Walks a parsed body (keys and strings) without recursion; null when it is fine. */
export function jsonBodyProblem(body: unknown): RequestError | null {
  const pending: Array<[unknown, number]> = [[body, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === 'string') {
      if (isUnstorableText(value)) return unstorableTextError();
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return tooDeep();
      for (const [key, item] of Object.entries(value)) {
        if (isUnstorableText(key)) return unstorableTextError();
        pending.push([item, depth + 1]);
      }
    }
  }
  return null;
}

function tooDeep(): RequestError {
  return new RequestError(400, 'JSON_TOO_DEEP', {
    ja: '送信されたJSONの入れ子が深すぎます。',
    en: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
  });
}

/** Body-parser's errors, as the stable codes clients see. */
export function toRequestError(error: unknown): unknown {
  const type = (error as { type?: string }).type;
  switch (type) {
    case 'entity.parse.failed':
      return new RequestError(400, 'MALFORMED_JSON', {
        ja: '送信されたJSONの形式が正しくありません。',
        en: 'The request body is not valid JSON.',
      });
    case 'entity.too.large':
      return new RequestError(413, 'PAYLOAD_TOO_LARGE', {
        ja: '送信されたデータが大きすぎます。',
        en: 'The request body is too large.',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new RequestError(415, 'UNSUPPORTED_ENCODING', {
        ja: 'この文字コードまたは圧縮形式は受け付けられません。',
        en: 'Unsupported body encoding or charset.',
      });
    case 'request.aborted':
    case 'request.size.invalid':
      return new RequestError(400, 'BODY_INCOMPLETE', {
        ja: '送信されたデータが途中で途切れました。',
        en: 'The request body was incomplete.',
      });
    default:
      return error;
  }
}

/**
 * Attachment uploads arrive as the raw file (any content type: the type is
 * judged from the bytes later), up to the hard upload ceiling.
 */
@Injectable()
export class RawUploadMiddleware implements NestMiddleware {
  private readonly parse = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => next(error === undefined ? undefined : toRequestError(error)));
  }
}

/** A PDF sent for verification (POST /documents/verify): the raw bytes, up to a size no document of ours comes near. */
@Injectable()
export class PdfBodyMiddleware implements NestMiddleware {
  private readonly parse = express.raw({ type: 'application/pdf', limit: MAX_VERIFY_PDF_BYTES });

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => next(error === undefined ? undefined : toRequestError(error)));
  }
}
