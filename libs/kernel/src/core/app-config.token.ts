/** Injection tokens of process-wide values, kept apart so any provider can import them without cycles. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SECRETS = Symbol('SECRETS');
