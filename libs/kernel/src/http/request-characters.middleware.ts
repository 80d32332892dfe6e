import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isUnstorableText, unstorableTextError } from './unstorable-text';

/**
 * Headers whose values services store or look up. `X-File-Name` is sent
 * percent-encoded (UTF-8), so it is checked after decoding as well.
 */
const DATA_HEADERS = ['x-municipality-id', 'idempotency-key', 'x-file-name'] as const;
const PERCENT_ENCODED_HEADERS: ReadonlySet<string> = new Set(['x-file-name']);

/**
 * Refuses, before routing reaches any handler, a URL or data header that
 * carries what PostgreSQL cannot store (NUL, unpaired surrogates) or
 * percent-encoding that is not UTF-8. Works on the raw request target, so
 * every path parameter and query value (and key, at any qs nesting) is
 * covered at once; bodies are checked by the JSON body parser.
 */
@Injectable()
export class RequestCharactersMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    next(requestCharactersProblem(request.originalUrl ?? request.url, (name) => request.header(name)) ?? undefined);
  }
}

/** Null when the URL and the data headers are fine; the refusal otherwise. */
export function requestCharactersProblem(url: string, header: (name: string) => string | undefined) {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  // Raw characters outside ASCII cannot be in a request target that Node
  // accepted as UTF-8; they arrive as latin1 and would be stored garbled.
  if (/[^\u0021-\u007e]/.test(url)) return unstorableTextError();
  for (const segment of path.split('/')) {
    if (!decodesToStorableText(segment)) return unstorableTextError();
  }
  for (const part of query.split(/[&=;]/)) {
    if (!decodesToStorableText(part.replace(/\+/g, ' '))) return unstorableTextError();
  }
  for (const name of DATA_HEADERS) {
    const value = header(name);
    if (value === undefined) continue;
    if (isUnstorableText(value)) return unstorableTextError();
    if (PERCENT_ENCODED_HEADERS.has(name) && !decodesToStorableText(value)) return unstorableTextError();
  }
  return null;
}

/** decodeURIComponent refuses bad escapes, truncated or overlong UTF-8 and encoded surrogates. */
function decodesToStorableText(encoded: string): boolean {
  if (!encoded.includes('%')) return !isUnstorableText(encoded);
  try {
    return !isUnstorableText(decodeURIComponent(encoded));
  } catch {
    return false;
  }
}
