import { createHash } from 'node:crypto';
import { drawKey, drawOrder, resultHash } from './lottery-draw';

describe('lottery draw (pure)', () => {
  const seed = '00'.repeat(31) + '01';
  const lotteryId = '6f1c1a52-8d1e-4a43-9a55-0d6f2f9e2c11';

  it('keys entries with HMAC-SHA256 over the seed bytes: fixed for a seed, different for another seed or entry', () => {
    const key = drawKey(seed, lotteryId, 1);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(drawKey(seed, lotteryId, 1)).toBe(key);
    expect(drawKey(seed, lotteryId, 2)).not.toBe(key);
    expect(drawKey('ff'.repeat(32), lotteryId, 1)).not.toBe(key);
    // The key is the decoded bytes, not the hex text.
    expect(key).toBe(
      (() => {
        const block = Buffer.alloc(64);
        Buffer.from(seed, 'hex').copy(block);
        const inner = createHash('sha256').update(Buffer.from(block.map((b) => b ^ 0x36))).update(`${lotteryId}:1`).digest();
        return createHash('sha256').update(Buffer.from(block.map((b) => b ^ 0x5c))).update(inner).digest('hex');
      })(),
    );
  });

  it('orders by ascending key, ties by entry number, without changing its input', () => {
    const entries = [
      { entryNumber: 3, key: 'b' },
      { entryNumber: 2, key: 'a' },
      { entryNumber: 1, key: 'b' },
    ];
    expect(drawOrder(entries).map((entry) => entry.entryNumber)).toEqual([2, 1, 3]);
    expect(entries.map((entry) => entry.entryNumber)).toEqual([3, 2, 1]);
  });

  it('hashes the ordered result line by line', () => {
    const lines = [
      { position: 1, entryNumber: 2, key: 'a'.repeat(64), outcome: 'won' as const },
      { position: 2, entryNumber: 1, key: 'b'.repeat(64), outcome: 'waitlisted' as const },
    ];
    expect(resultHash(lines)).toBe(createHash('sha256').update(`1:2:${'a'.repeat(64)}:won\n2:1:${'b'.repeat(64)}:waitlisted\n`).digest('hex'));
    expect(resultHash([lines[1], lines[0]])).not.toBe(resultHash(lines));
  });
});
