import type { LocalizedMessage } from './localized-message';

/**
 * Base of every typed error a library raises on purpose. Each library defines
 * `XError extends DomainError` with its own code enum; one filter maps them to
 * HTTP, so services never import HTTP exceptions.
 */
export abstract class DomainError extends Error {
  abstract readonly httpStatus: number;

  protected constructor(
    readonly code: string,
    readonly userMessage: LocalizedMessage,
    readonly details?: Record<string, unknown>,
  ) {
    super(userMessage.en);
    this.name = new.target.name;
  }
}

/** Errors whose cause is the request itself: 4xx. */
export class RequestError extends DomainError {
  constructor(
    readonly httpStatus: number,
    code: string,
    userMessage: LocalizedMessage,
    details?: Record<string, unknown>,
  ) {
    super(code, userMessage, details);
  }
}
