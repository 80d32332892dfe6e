import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentRequestId } from '../logging/request-context';
import { unstorableTextError } from '../http/unstorable-text';
import { DomainError } from './domain-error';
import type { ErrorBody } from './error-body';
import type { LocalizedMessage } from './localized-message';

/** Body-parser and express raise plain errors carrying these fields. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

const GENERIC_MESSAGES: Record<number, { code: string; message: LocalizedMessage }> = {
  400: { code: 'BAD_REQUEST', message: { ja: 'リクエストの内容に誤りがあります。', en: 'The request is not valid.' } },
  401: { code: 'UNAUTHENTICATED', message: { ja: 'ログインが必要です。', en: 'You need to sign in.' } },
  403: { code: 'FORBIDDEN', message: { ja: 'この操作を行う権限がありません。', en: 'You are not allowed to do this.' } },
  404: { code: 'NOT_FOUND', message: { ja: 'お探しのページまたはデータは見つかりません。', en: 'Not found.' } },
  405: { code: 'METHOD_NOT_ALLOWED', message: { ja: 'この方法では操作できません。', en: 'Method not allowed.' } },
  409: { code: 'CONFLICT', message: { ja: '他の操作と競合しました。もう一度お試しください。', en: 'The request conflicts with another change.' } },
  413: {
    code: 'PAYLOAD_TOO_LARGE',
    message: { ja: '送信されたデータが大きすぎます。', en: 'The request body is too large.' },
  },
  415: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: { ja: 'この形式のデータは受け付けられません。', en: 'Unsupported content type.' },
  },
  429: {
    code: 'TOO_MANY_REQUESTS',
    message: { ja: 'リクエストが多すぎます。しばらくしてからお試しください。', en: 'Too many requests. Try again later.' },
  },
};

const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * Express decodes route parameters (Nest's `*path` middleware route
 * included) before any middleware of ours runs; percent-encoding that is not
 * UTF-8 raises a URIError there, which Nest's router hands on as a
 * BadRequestException with this message (@nestjs/core routes-resolver). It
 * is the same refusal the character check gives for the rest of the URL.
 */
function isUndecodableParam(exception: unknown): boolean {
  if (exception instanceof URIError) return true;
  return exception instanceof BadRequestException && /^Failed to decode param /.test(exception.message);
}

const INTERNAL: { code: string; message: LocalizedMessage } = {
  code: 'INTERNAL_ERROR',
  message: {
    ja: 'システムで問題が発生しました。時間をおいてもう一度お試しください。',
    en: 'Something went wrong on our side. Please try again later.',
  },
};

/**
 * The one place where errors become HTTP. Client mistakes get a 4xx with a
 * stable code; anything unexpected is a 500 that reveals nothing.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toBody(exception);
    this.log(exception, body, request);
    if (!response.headersSent) {
      if (body.statusCode === 429) response.setHeader('Retry-After', String(this.retryAfterSeconds(body)));
      response.status(body.statusCode).json(body);
    }
  }

  /** 5xx only: client mistakes are not the service's errors. Shared with the pages' filter. */
  protected log(exception: unknown, body: ErrorBody, request: Request): void {
    if (body.statusCode >= 500 && exception instanceof DomainError) {
      // Raised on purpose (503 JPKI_CRL_UNAVAILABLE, a provider down): an
      // expected condition with a stable code, not a bug; no stack.
      this.logger.warn({ msg: 'expected error', code: body.code, status: body.statusCode, path: request.route?.path });
    } else if (body.statusCode >= 500) {
      // The stack goes to the log; the message of a driver error can quote
      // row values, so only the class name and stack frames are logged.
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ msg: 'unhandled error', err: error.name, stack: error.stack?.split('\n').slice(1, 8).join('\n'), path: request.route?.path });
    }
  }

  /**
   * Every 429 tells when to come back (RFC 9110 Retry-After, in seconds), so
   * clients need not parse the body: a typed error puts `retryAfterSeconds`
   * in its details; a 429 from elsewhere gets a minute.
   */
  retryAfterSeconds(body: ErrorBody): number {
    const seconds = body.details?.retryAfterSeconds;
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : DEFAULT_RETRY_AFTER_SECONDS;
  }

  toBody(exception: unknown): ErrorBody {
    const requestId = currentRequestId();
    if (exception instanceof DomainError) {
      return { statusCode: exception.httpStatus, code: exception.code, message: exception.userMessage, details: exception.details, requestId };
    }
    if (isUndecodableParam(exception)) {
      const error = unstorableTextError();
      return { statusCode: error.httpStatus, code: error.code, message: error.userMessage, requestId };
    }
    if (exception instanceof HttpException) {
      return { ...this.fromHttpException(exception), requestId };
    }
    const httpLike = exception as HttpLikeError | undefined;
    const status = httpLike?.status ?? httpLike?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, ...(GENERIC_MESSAGES[status] ?? GENERIC_MESSAGES[400]), requestId };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, ...INTERNAL, requestId };
  }

  private fromHttpException(exception: HttpException): ErrorBody {
    const statusCode = exception.getStatus();
    const generic = GENERIC_MESSAGES[statusCode] ?? (statusCode >= 500 ? INTERNAL : GENERIC_MESSAGES[400]);
    const response = exception.getResponse();
    // ValidationPipe puts its list of problems in `message`.
    if (statusCode === 400 && typeof response === 'object' && Array.isArray((response as { message?: unknown }).message)) {
      return {
        statusCode,
        code: 'VALIDATION_FAILED',
        message: { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
        details: { errors: (response as { message: string[] }).message },
      };
    }
    return { statusCode, code: generic.code, message: generic.message };
  }
}
