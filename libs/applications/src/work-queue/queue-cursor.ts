import type { QueueOrder, QueueSort } from './work-queue.dto';
import { WorkQueueError } from './work-queue.errors';

/**
 * Where a page ended: the sort key of its last row (exact, as text: a date,
 * or a timestamp with microseconds) and that row's id. Opaque to clients;
 * it carries the sort and order so it cannot be replayed under another.
 */
export interface QueuePosition {
  sort: QueueSort;
  order: QueueOrder;
  /** null: the last row had no due date (the cases sorted after every dated one). */
  key: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_KEY = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;

/** A date that exists: PostgreSQL would refuse 2026-02-30 with an error, not a 400. */
function isRealDate(date: string): boolean {
  const match = DATE_KEY.exec(date);
  if (!match) return false;
  const parsed = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return parsed.toISOString().slice(0, 10) === date;
}

function validKey(sort: QueueSort, key: string): boolean {
  if (sort === 'dueOn') return isRealDate(key);
  const match = TIMESTAMP_KEY.exec(key);
  return match !== null && isRealDate(match[1]);
}

export function encodeCursor(position: QueuePosition): string {
  return Buffer.from(JSON.stringify([1, position.sort, position.order, position.key, position.id]), 'utf8').toString('base64url');
}

/** The position in a cursor, checked field by field: its values go into SQL parameters. */
export function decodeCursor(cursor: string, sort: QueueSort, order: QueueOrder): QueuePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw WorkQueueError.cursorInvalid('unreadable');
  }
  if (!Array.isArray(decoded) || decoded.length !== 5 || decoded[0] !== 1) throw WorkQueueError.cursorInvalid('unreadable');
  const [, cursorSort, cursorOrder, key, id] = decoded as unknown[];
  if (cursorSort !== sort || cursorOrder !== order) throw WorkQueueError.cursorInvalid('issued for another sort or order');
  if (typeof id !== 'string' || !UUID.test(id)) throw WorkQueueError.cursorInvalid('unreadable');
  // Only the due date may be missing; the other keys exist on every submitted case.
  if (key === null ? sort !== 'dueOn' : typeof key !== 'string' || !validKey(sort, key)) {
    throw WorkQueueError.cursorInvalid('unreadable');
  }
  return { sort, order, key: key as string | null, id };
}
