import { type Type, ValidationPipe } from '@nestjs/common';

/**
 * Guards run before pipes, so the global ValidationPipe would see a login
 * body only after a passport strategy had used it (spent a nonce, counted a
 * failed login, created an account). Strategies check the body first, with
 * the global pipe's options, so malformed input is a 400 and changes nothing.
 */
const PIPE = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });

export async function validateLoginBody<T>(body: unknown, type: Type<T>): Promise<T> {
  return (await PIPE.transform(body, { type: 'body', metatype: type })) as T;
}
