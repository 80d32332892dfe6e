import { MACHINE_EFFECT_TOPICS, machineEffectTopic } from '@madoguchi/workflow';
import { OutboxHandlerRegistry } from './outbox-handler.registry';
import { AUDIT_RECORD_TOPIC, declareOutboxTopic, declaredOutboxTopics } from './outbox-topic';

describe('OutboxHandlerRegistry: a topic without a handler is a start error', () => {
  const handleAll = (registry: OutboxHandlerRegistry) => {
    for (const topic of new Set<string>([...MACHINE_EFFECT_TOPICS, ...declaredOutboxTopics()])) registry.register(topic, async () => undefined);
  };

  it('refuses to start when a machine effect topic has no handler, naming it', () => {
    const registry = new OutboxHandlerRegistry();
    handleAll(registry);
    const bare = new OutboxHandlerRegistry();
    expect(() => registry.onApplicationBootstrap()).not.toThrow();
    expect(() => bare.onApplicationBootstrap()).toThrow(/Outbox topics without a handler: .*application\.expired.*payment\.request/);
  });

  it('refuses to start when a topic a library declared it enqueues has no handler', () => {
    const registry = new OutboxHandlerRegistry();
    handleAll(registry);
    registry.requireHandler('mail.send');
    expect(registry.missingHandlers()).toEqual(['mail.send']);
    expect(() => registry.onApplicationBootstrap()).toThrow('Outbox topics without a handler: mail.send');
    registry.register('mail.send', async () => undefined);
    expect(() => registry.onApplicationBootstrap()).not.toThrow();
  });

  it('no longer expects application.completed or application.returned, which nothing handled', () => {
    expect(MACHINE_EFFECT_TOPICS).not.toContain('application.completed');
    expect(MACHINE_EFFECT_TOPICS).not.toContain('application.returned');
  });

  it('refuses to start when a topic a library declared with declareOutboxTopic (the only kind enqueue accepts) has no handler', () => {
    const LIBRARY_TOPIC = declareOutboxTopic('test.library-enqueued');
    const registry = new OutboxHandlerRegistry();
    for (const topic of new Set<string>([...MACHINE_EFFECT_TOPICS, ...declaredOutboxTopics()])) {
      if (topic !== LIBRARY_TOPIC && topic !== AUDIT_RECORD_TOPIC) registry.register(topic, async () => undefined);
    }
    expect(registry.missingHandlers()).toEqual(['audit.record', 'test.library-enqueued']);
    expect(() => registry.onApplicationBootstrap()).toThrow('Outbox topics without a handler: audit.record, test.library-enqueued');
    registry.register(LIBRARY_TOPIC, async () => undefined);
    registry.register(AUDIT_RECORD_TOPIC, async () => undefined);
    expect(() => registry.onApplicationBootstrap()).not.toThrow();
  });

  it('declares machine effect topics too, and refuses a machine effect outside the list', () => {
    expect(machineEffectTopic('payment.request')).toBe('payment.request');
    expect(() => machineEffectTopic('application.completed')).toThrow(/not in MACHINE_EFFECT_TOPICS/);
  });
});
