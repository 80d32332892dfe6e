import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OutboxHandlerRegistry } from '@madoguchi/kernel';

/**
 * The engine-only benches (workflow, work queue) start the workflow engine
 * without the libraries that deliver its effects (payments, documents,
 * notifications, bookings), so the boot check of OutboxHandlerRegistry
 * would refuse to start them. They never run the outbox: the messages a
 * transition enqueues are part of what is measured, their delivery is not.
 * This stands in for the missing handlers, and fails loudly if anything
 * ever tries to deliver through it. Never use it outside test/bench.
 */
@Injectable()
export class EngineOnlyOutbox implements OnModuleInit {
  constructor(private readonly handlers: OutboxHandlerRegistry) {}

  /** Runs after the imported modules' onModuleInit (the bench module is the root): only what they left unhandled is covered. */
  onModuleInit(): void {
    for (const topic of this.handlers.missingHandlers()) {
      this.handlers.register(topic, async (message) => {
        throw new Error(`${message.topic}: not delivered by an engine-only bench`);
      });
    }
  }
}
