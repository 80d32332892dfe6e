import { Controller } from '@nestjs/common';

/**
 * Where the JSON API lives. Pages own the root (`/` for residents, `/office`
 * for staff), so every JSON controller declares itself with ApiController
 * and a client reads one versioned prefix. Health checks and the simulated
 * outside parties keep their own paths.
 */
export const API_PREFIX = 'api/v1';

/** A JSON API controller, mounted under API_PREFIX. */
export function ApiController(path = ''): ClassDecorator {
  return Controller(path ? `${API_PREFIX}/${path}` : API_PREFIX);
}
