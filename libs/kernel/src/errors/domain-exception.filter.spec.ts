import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { RequestError } from './domain-error';
import { DomainExceptionFilter } from './domain-exception.filter';

describe('DomainExceptionFilter', () => {
  const filter = new DomainExceptionFilter();

  it('maps a typed domain error to its status, code, bilingual message and details', () => {
    const error = new RequestError(409, 'WORKFLOW_EVENT_NOT_ALLOWED', { ja: '受け付けられません', en: 'Not accepted' }, { allowedEvents: ['resident.withdraw'] });
    expect(filter.toBody(error)).toEqual({
      statusCode: 409,
      code: 'WORKFLOW_EVENT_NOT_ALLOWED',
      message: { ja: '受け付けられません', en: 'Not accepted' },
      details: { allowedEvents: ['resident.withdraw'] },
      requestId: undefined,
    });
  });

  it('turns the validation pipe list into VALIDATION_FAILED with the problems', () => {
    const body = filter.toBody(new BadRequestException({ message: ['category must be one of …'], error: 'Bad Request' }));
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: { errors: ['category must be one of …'] } });
    expect(body.message.ja).toBeTruthy();
  });

  it('gives framework HTTP errors stable codes', () => {
    expect(filter.toBody(new NotFoundException())).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(filter.toBody(new PayloadTooLargeException())).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers anything unexpected with a 500 that reveals nothing', () => {
    const body = filter.toBody(new Error('duplicate key value violates unique constraint "x" Key (email)=(taro@example.jp)'));
    expect(body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(body)).not.toContain('taro@example.jp');
  });

  it('logs a 5xx domain error raised on purpose as a warning without stack, and anything else as an unhandled error', () => {
    const logged: Array<[string, Record<string, unknown>]> = [];
    const logger = { warn: (entry: Record<string, unknown>) => logged.push(['warn', entry]), error: (entry: Record<string, unknown>) => logged.push(['error', entry]) };
    Object.assign(filter as unknown as { logger: unknown }, { logger });
    const response = { headersSent: false, status: () => response, json: () => response };
    const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ route: { path: '/api/v1/auth/jpki/login' } }) }) };
    filter.catch(new RequestError(503, 'JPKI_CRL_UNAVAILABLE', { ja: '失効リストを確認できません', en: 'CRL unavailable' }), host as never);
    filter.catch(new TypeError('boom'), host as never);
    expect(logged.map(([level, entry]) => [level, entry.msg, 'stack' in entry])).toEqual([
      ['warn', 'expected error', false],
      ['error', 'unhandled error', true],
    ]);
    expect(logged[0][1]).toMatchObject({ code: 'JPKI_CRL_UNAVAILABLE', status: 503 });
  });

  it('maps percent-encoding that is not UTF-8 (Express route parameter decoding) to UNSUPPORTED_CHARACTERS', () => {
    expect(filter.toBody(new BadRequestException("Failed to decode param '%FF'"))).toMatchObject({ statusCode: 400, code: 'UNSUPPORTED_CHARACTERS' });
    expect(filter.toBody(new BadRequestException('Other'))).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });

  it('keeps a 4xx raised by middleware as a client error', () => {
    expect(filter.toBody(Object.assign(new Error('x'), { status: 415 }))).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('gives every 429 a Retry-After in seconds: from the error when it says, else a minute', () => {
    const sent: { headers: Record<string, string>; status?: number } = { headers: {} };
    const response = {
      headersSent: false,
      setHeader: (name: string, value: string) => (sent.headers[name] = value),
      status(code: number) {
        sent.status = code;
        return this;
      },
      json: () => undefined,
    };
    const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }) } as never;
    filter.catch(new RequestError(429, 'RATE_LIMITED', { ja: '多すぎます', en: 'Too many' }, { retryAfterSeconds: 42 }), host);
    expect(sent).toEqual({ status: 429, headers: { 'Retry-After': '42' } });
    filter.catch(Object.assign(new Error('x'), { status: 429 }), host);
    expect(sent.headers['Retry-After']).toBe('60');
    sent.headers = {};
    filter.catch(new RequestError(409, 'X', { ja: 'x', en: 'x' }), host);
    expect(sent.headers).toEqual({});
  });
});
