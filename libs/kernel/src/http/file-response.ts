import { applyDecorators } from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';

/**
 * Documents a success answer that is a file or a page, not JSON (a PDF, a CSV
 * export, an HTML page, an uploaded attachment). The handler returns a
 * StreamableFile or writes the response itself, so its type tells a client
 * nothing; this says what arrives instead.
 */
export const ApiFileResponse = (contentType: string, description: string, status = 200) =>
  applyDecorators(
    ApiProduces(contentType),
    ApiResponse({
      status,
      description,
      content: { [contentType]: { schema: contentType.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' } } },
    }),
  );
