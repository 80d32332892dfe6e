import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** The header a client sends to make a create request safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * Declares, in the OpenAPI document, that the handler honours `Idempotency-Key`.
 * Sits on the handler that reads the header with `@Headers('idempotency-key')`; the
 * OpenAPI test compares the two, so a handler cannot read the key without
 * documenting it (or document it without reading it).
 */
export const AcceptsIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Optional, 1–255 visible ASCII characters. A repeat with the same key and body returns the stored response; with another body it is refused (409); while the first is still running it is refused (409).',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
    }),
  );
