import { asMunicipalityId } from '@madoguchi/kernel';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxHandlerRegistry } from './outbox-handler.registry';
import { declareOutboxTopic, declaredOutboxTopics } from './outbox-topic';
import { type OutboxMessage, OutboxRepository } from './outbox.repository';

const CITY = asMunicipalityId('990001');

describe('outbox delivery (real PostgreSQL)', () => {
  let t: TestApp;
  let dispatcher: OutboxDispatcher;
  let registry: OutboxHandlerRegistry;
  const delivered: Array<{ topic: string; id: string; attempts: number }> = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    t = await createTestApp();
    dispatcher = t.get(OutboxDispatcher);
    registry = t.get(OutboxHandlerRegistry);
    registry.register('test.ok', async (message: OutboxMessage) => {
      // Yield so concurrent dispatchers really overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      delivered.push({ topic: message.topic, id: message.id, attempts: message.attempts });
    });
    registry.register('test.flaky', async (message: OutboxMessage) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('provider unavailable');
      }
      delivered.push({ topic: message.topic, id: message.id, attempts: message.attempts });
    });
    registry.register('test.broken', async () => {
      throw new Error('always fails');
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    delivered.length = 0;
    await t.dataSource.query(`DELETE FROM outbox`);
  });

  const enqueue = (topic: string, count = 1) =>
    t.dataSource.transaction(async (manager) => {
      for (let index = 0; index < count; index += 1) {
        await t.get(OutboxRepository).enqueue(manager, CITY, { topic: declareOutboxTopic(topic), payload: { index }, availableAt: t.clock.now() });
      }
    });
  const statuses = async () =>
    (await t.dataSource.query(`SELECT status, attempts, last_error FROM outbox ORDER BY id`)) as Array<{ status: string; attempts: number; last_error: string | null }>;

  it('refuses a second handler for one topic', () => {
    expect(() => registry.register('test.ok', async () => undefined)).toThrow(/already registered/);
  });

  it('delivers each message exactly once with several dispatchers racing', async () => {
    await enqueue('test.ok', 30);
    dispatcher.options = { ...dispatcher.options, batchSize: 4 };
    for (let round = 0; round < 10; round += 1) {
      await Promise.all([dispatcher.dispatchDue(), dispatcher.dispatchDue(), dispatcher.dispatchDue()]);
    }
    expect(delivered).toHaveLength(30);
    expect(new Set(delivered.map((message) => message.id)).size).toBe(30);
    expect((await statuses()).every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('retries a failing delivery with exponential backoff, then delivers', async () => {
    failuresLeft = 2;
    await enqueue('test.flaky');
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    // Not due again until the backoff has passed.
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    const [afterFirst] = await statuses();
    expect(afterFirst).toEqual({ status: 'pending', attempts: 1, last_error: 'provider unavailable' });
    t.clock.advance(dispatcher.backoff(1));
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    t.clock.advance(dispatcher.backoff(2) - 1);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    t.clock.advance(1);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(delivered).toEqual([{ topic: 'test.flaky', id: expect.any(String), attempts: 3 }]);
    expect(await statuses()).toEqual([{ status: 'delivered', attempts: 3, last_error: null }]);
  });

  it('gives up after the maximum attempts and keeps the message as dead', async () => {
    dispatcher.options = { ...dispatcher.options, maxAttempts: 3 };
    await enqueue('test.broken');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await dispatcher.dispatchDue();
      t.clock.advance(dispatcher.options.backoffMaxMs);
    }
    expect(await statuses()).toEqual([{ status: 'dead', attempts: 3, last_error: 'always fails' }]);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 0, dead: 0 });
  });

  it('keeps a message without a handler pending instead of dropping it', async () => {
    dispatcher.options = { ...dispatcher.options, maxAttempts: 2 };
    await enqueue('test.unknown');
    for (let round = 0; round < 4; round += 1) {
      await dispatcher.dispatchDue();
      t.clock.advance(dispatcher.options.backoffMaxMs);
    }
    const [row] = await statuses();
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/no handler registered for "test.unknown"/);
  });

  it('redelivers a message whose worker died mid-delivery once the lease expires', async () => {
    await enqueue('test.ok');
    // A worker leased it and then vanished without marking it.
    const leased = await t.get(OutboxRepository).queue.claim(t.dataSource.manager, t.clock.now(), dispatcher.options);
    expect(leased).toHaveLength(1);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    t.clock.advance(dispatcher.options.leaseMs);
    expect(await dispatcher.dispatchDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(delivered[0].attempts).toBe(2);
  });

  it('the whole app declares the topics its libraries enqueue directly, and handles every one of them', () => {
    expect(declaredOutboxTopics()).toEqual(
      expect.arrayContaining(['audit.record', 'mail.send', 'notification.resident', 'payment.refund', 'booking.lapsed', 'lottery.forfeit', 'document.issue', 'booking.hold']),
    );
    // The test.* topics above are this file's own, some left unhandled on purpose.
    expect(registry.missingHandlers().filter((topic) => !topic.startsWith('test.'))).toEqual([]);
  });
});
