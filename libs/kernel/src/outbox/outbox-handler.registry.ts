import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { declaredOutboxTopics } from './outbox-topic';
import type { OutboxMessage } from './outbox.repository';

/**
 * Handlers must be idempotent: a message can be delivered more than once
 * (a lease can expire while a slow handler still runs). The message id is
 * the idempotency key to use with external parties.
 */
export type OutboxHandler = (message: OutboxMessage) => Promise<void>;

@Injectable()
export class OutboxHandlerRegistry implements OnApplicationBootstrap {
  private readonly handlers = new Map<string, OutboxHandler>();
  /** Topics required besides declared topics (declareOutboxTopic, which machine effects go through too); see requireHandler. */
  private readonly required = new Set<string>();

  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`An outbox handler for "${topic}" is already registered`);
    this.handlers.set(topic, handler);
  }

  /** Declares a topic this build enqueues: the start fails unless some module handles it. */
  requireHandler(topic: string): void {
    this.required.add(topic);
  }

  get(topic: string): OutboxHandler | undefined {
    return this.handlers.get(topic);
  }

  /** The topics that would be enqueued and never delivered. */
  missingHandlers(): string[] {
    // Declared topics are read now, not at construction: every module that
    // can enqueue one has been imported (and so has declared it) by the time the app starts.
    return [...new Set([...this.required, ...declaredOutboxTopics()])].filter((topic) => !this.handlers.has(topic)).sort();
  }

  /**
   * Runs after every module's onModuleInit (where handlers register), in the
   * API and in the worker: a topic without a handler stays pending and is
   * retried forever, so it is a start error, not a slow leak.
   */
  onApplicationBootstrap(): void {
    const missing = this.missingHandlers();
    if (missing.length > 0) {
      throw new Error(`Outbox topics without a handler: ${missing.join(', ')}. Register a handler for each, or stop enqueueing it.`);
    }
  }
}
