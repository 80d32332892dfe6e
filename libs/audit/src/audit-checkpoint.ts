import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@madoguchi/kernel';
import { GENESIS_HASH } from './audit-hash';

/**
 * One line of a municipality's checkpoint file: the head of its audit chain
 * at a moment, signed with AUDIT_CHECKPOINT_KEY (HMAC-SHA256) and chained to
 * the line before it (`prev` is the SHA-256 of that line's text), so a line
 * cannot be edited, forged without the key, reordered or dropped from the
 * middle. Part of the on-disk format: changing it breaks existing files.
 */
export interface AuditCheckpoint {
  v: 1;
  municipalityId: string;
  seq: number;
  hash: string;
  /** When the checkpoint was written (ISO 8601). */
  at: string;
  prev: string;
  sig: string;
}

export type CheckpointLog =
  | { status: 'none' }
  | { status: 'valid'; latest: AuditCheckpoint; lines: number; latestLine: string }
  | { status: 'invalid'; line: number; problem: string };

const HEX64 = /^[0-9a-f]{64}$/;

export function checkpointSignature(key: Buffer, fields: Omit<AuditCheckpoint, 'sig'>): string {
  return createHmac('sha256', key)
    .update(canonicalJson({ v: fields.v, municipalityId: fields.municipalityId, seq: fields.seq, hash: fields.hash, at: fields.at, prev: fields.prev }))
    .digest('hex');
}

/** The text of the next line (without its newline) after `previousLine` (null: the first). */
export function checkpointLine(key: Buffer, head: { municipalityId: string; seq: number; hash: string }, at: Date, previousLine: string | null): string {
  const fields: Omit<AuditCheckpoint, 'sig'> = {
    v: 1,
    municipalityId: head.municipalityId,
    seq: head.seq,
    hash: head.hash,
    at: at.toISOString(),
    prev: previousLine === null ? GENESIS_HASH : sha256Hex(previousLine),
  };
  return JSON.stringify({ ...fields, sig: checkpointSignature(key, fields) });
}

/**
 * Checks a whole checkpoint file: every line signed with the key, linked to
 * the one before, of this municipality, and never going back along the
 * chain. The first bad line makes the file invalid (and names the line).
 */
export function readCheckpointLog(text: string, key: Buffer, municipalityId: string): CheckpointLog {
  if (text.length === 0) return { status: 'none' };
  if (!text.endsWith('\n')) return { status: 'invalid', line: text.split('\n').length, problem: 'the last line is incomplete' };
  const lines = text.slice(0, -1).split('\n');
  let previous: { line: string; checkpoint: AuditCheckpoint } | null = null;
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    const checkpoint = parse(line);
    if (!checkpoint) return { status: 'invalid', line: number, problem: 'not a checkpoint' };
    const expected = Buffer.from(checkpointSignature(key, checkpoint), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(checkpoint.sig, 'hex'))) return { status: 'invalid', line: number, problem: 'bad signature' };
    if (checkpoint.municipalityId !== municipalityId) return { status: 'invalid', line: number, problem: 'another municipality' };
    if (checkpoint.prev !== (previous ? sha256Hex(previous.line) : GENESIS_HASH)) return { status: 'invalid', line: number, problem: 'not linked to the line before' };
    if (previous && (checkpoint.seq < previous.checkpoint.seq || (checkpoint.seq === previous.checkpoint.seq && checkpoint.hash !== previous.checkpoint.hash))) {
      return { status: 'invalid', line: number, problem: 'goes back along the chain' };
    }
    previous = { line, checkpoint };
  }
  return { status: 'valid', latest: previous!.checkpoint, lines: lines.length, latestLine: previous!.line };
}

function parse(line: string): AuditCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  const ok =
    c.v === 1 &&
    typeof c.municipalityId === 'string' &&
    Number.isSafeInteger(c.seq) &&
    (c.seq as number) >= 1 &&
    typeof c.hash === 'string' &&
    HEX64.test(c.hash) &&
    typeof c.at === 'string' &&
    typeof c.prev === 'string' &&
    HEX64.test(c.prev) &&
    typeof c.sig === 'string' &&
    HEX64.test(c.sig);
  return ok ? (c as unknown as AuditCheckpoint) : null;
}
