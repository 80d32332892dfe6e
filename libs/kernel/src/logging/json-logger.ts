import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as PinoLogger } from 'pino';
import { currentRequestId } from './request-context';

/**
 * Keys that may carry personal data. The code never logs request bodies or
 * form data; this list is the second line of defence for mistakes.
 */
export const REDACTED_KEYS = [
  'password',
  'individualNumber',
  'myNumber',
  'name',
  'address',
  'birthDate',
  'dateOfBirth',
  'email',
  'phone',
  'form',
  'formData',
  'authorization',
  'cookie',
];

export function createRootLogger(level: string, destination?: NodeJS.WritableStream): PinoLogger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);
  const options = {
    level,
    // pid: which of the WEB_CONCURRENCY processes wrote the line.
    base: { service: 'madoguchi', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths, censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  // Synchronous writes: nothing is lost when the process exits right after logging.
  return pino(options, (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: true }));
}

/** Nest's logger interface on top of pino: one JSON object per line. */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: PinoLogger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context) or (message, context).
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.write('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string): void {
    if (message !== null && typeof message === 'object') {
      this.root[level]({ context, ...(message as Record<string, unknown>) });
    } else {
      this.root[level]({ context }, String(message));
    }
  }
}
