import { MACHINE_EFFECT_TOPICS } from '../machine/procedure-machine';
import { OutboxHandlerRegistry } from './outbox-handler.registry';

describe('OutboxHandlerRegistry: a topic without a handler is a start error', () => {
  const handleAll = (registry: OutboxHandlerRegistry) => {
    for (const topic of MACHINE_EFFECT_TOPICS) registry.register(topic, async () => undefined);
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
});
