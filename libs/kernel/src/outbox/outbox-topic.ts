declare const declared: unique symbol;

/**
 * A topic that went through declareOutboxTopic. OutboxRepository.enqueue
 * takes nothing else, so a topic cannot be enqueued without being declared,
 * and every declared topic is checked for a handler when the app starts
 * (OutboxHandlerRegistry): a message nobody handles would stay pending and
 * be retried forever.
 */
export type OutboxTopic = string & { readonly [declared]: true };

const DECLARED = new Set<string>();

/**
 * Declares, at module load, a topic this build enqueues. Call it once per
 * topic in a module-level constant next to the code that enqueues it; the
 * import that gives a file the constant is what declares it.
 */
export function declareOutboxTopic<T extends string>(topic: T): T & OutboxTopic {
  DECLARED.add(topic);
  return topic as T & OutboxTopic;
}

export function declaredOutboxTopics(): string[] {
  return [...DECLARED].sort();
}

/**
 * Audit entries of changes made in a transaction are appended from the
 * outbox after commit, in commit order (many libraries enqueue them; the
 * applications module handles them).
 */
export const AUDIT_RECORD_TOPIC = declareOutboxTopic('audit.record');
