import type { LocalizedMessage } from './localized-message';

/** The one shape every error response has. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: LocalizedMessage;
  details?: Record<string, unknown>;
  requestId?: string;
}
