import { createHash, createHmac } from 'node:crypto';
import type { DrawOutcome } from './lottery.types';

/**
 * The draw, as anyone can redo it (this file is what GET /lotteries/:id/draw
 * describes in words):
 *
 * 1. take the entries in the draw (not withdrawn) sorted by entry number;
 * 2. give each the key HMAC-SHA256(key = the 32 seed bytes, i.e. the
 *    published hex decoded, message = "<lottery id>:<entry number>" in
 *    ASCII), as lowercase hex;
 * 3. the draw order is ascending key (as strings of hex, i.e. as numbers),
 *    ties (never seen in practice) broken by entry number;
 * 4. walking that order, an entry whose slots are all still free wins; the
 *    others are waitlisted in that order.
 *
 * The seed is fixed and public before the deadline, and entry numbers are
 * handed out in order of arrival, so nobody (staff included) can choose an
 * outcome after seeing the entries: changing the seed would show.
 */
export function drawKey(seed: string, lotteryId: string, entryNumber: number): string {
  return createHmac('sha256', Buffer.from(seed, 'hex')).update(`${lotteryId}:${entryNumber}`, 'ascii').digest('hex');
}

export interface Keyed {
  entryNumber: number;
  key: string;
}

/** Step 3: the draw order of keyed entries. */
export function drawOrder<T extends Keyed>(entries: T[]): T[] {
  return [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.entryNumber - b.entryNumber));
}

export interface DrawnLine {
  position: number;
  entryNumber: number;
  key: string;
  outcome: DrawOutcome;
}

/**
 * SHA-256 of the ordered result, one line per entry in draw order,
 * "<position>:<entry number>:<key>:<outcome>\n": what the audit log keeps,
 * so the published result can be checked against it without personal data.
 */
export function resultHash(lines: DrawnLine[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line.position}:${line.entryNumber}:${line.key}:${line.outcome}\n`, 'ascii');
  return hash.digest('hex');
}
