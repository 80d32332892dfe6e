import { Injectable, Logger } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AUDIT_ACTION_PATTERN,
  AUDIT_ACTOR_KINDS,
  type AuditEntry,
  type AuditListQuery,
  type AuditPage,
  type AuditRecordInput,
  type AuditCheckpointCheck,
  type AuditTarget,
  type AuditVerification,
} from './audit-entry';
import type { CheckpointLog } from './audit-checkpoint';
import { AuditCheckpointStore } from './audit-checkpoint.store';
import { AuditError } from './audit.errors';
import { auditEntryHash, GENESIS_HASH } from './audit-hash';
import { AuditRepository } from './audit.repository';

export const MAX_AUDIT_PAGE = 500;
const DEFAULT_VERIFY_BATCH = 1000;
const MAX_DETAILS_CHARS = 16_384;
const MAX_ID_CHARS = 200;
const TARGET_TYPE_PATTERN = /^[a-z][A-Za-z0-9]*$/;
/** Twelve digits, optionally grouped 4-4-4: what an individual number looks like. */
const INDIVIDUAL_NUMBER_LIKE = /^\s*\d{4}[\s-]?\d{4}[\s-]?\d{4}\s*$/;

/**
 * The tamper-evident audit log: an append-only hash chain per municipality.
 *
 * Owns audit_log and nothing else. Callers decide what to record and who may
 * read it (this service checks no access: the HTTP layer does). It must never
 * hold personal data values: see AuditRecordInput.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');
  /**
   * Each municipality's chain head as this process last wrote or read it
   * (null: an empty chain). Only a hint: an append that finds it stale
   * takes the long way (appendAlone).
   */
  private readonly heads = new Map<MunicipalityId, ChainHead | null>();
  /** The tail of each municipality's queue of appends in this process (inTurn). */
  private readonly turns = new Map<MunicipalityId, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly checkpoints: AuditCheckpointStore,
  ) {}

  /**
   * Appends one entry. Given the caller's transaction (`manager`), the entry
   * commits or rolls back with the change it records; otherwise it is
   * written on its own (appendAlone).
   *
   * The municipality's chain stays locked until that transaction ends, so
   * appends for one municipality queue up (others are not affected): record
   * as the last write of a transaction, after its row locks are taken, to
   * keep the wait short and the lock order the same everywhere. In a
   * REPEATABLE READ or SERIALIZABLE transaction that read anything earlier a
   * concurrent append makes this fail with a unique violation, never a fork.
   */
  async record(municipalityId: MunicipalityId, entry: AuditRecordInput, manager?: EntityManager): Promise<AuditEntry> {
    const checked = checkInput(entry);
    if (manager?.queryRunner?.isTransactionActive) {
      // Whether it commits is the caller's affair: the head this process knows is no longer sure.
      this.heads.delete(municipalityId);
      return this.append(manager, municipalityId, checked);
    }
    return this.inTurn(municipalityId, () => this.appendAlone(manager ?? this.dataSource.manager, municipalityId, checked));
  }

  /**
   * Walks the municipality's chain in seq order, `batchSize` entries at a
   * time, recomputing every hash, and stops at the first broken link; then
   * holds the stored chain against the latest signed checkpoint, which shows
   * what the chain alone cannot: entries cut from its end, or a chain
   * recomputed from a changed entry on by someone past the triggers.
   */
  async verify(municipalityId: MunicipalityId, options: { batchSize?: number } = {}): Promise<AuditVerification> {
    const batchSize = options.batchSize ?? DEFAULT_VERIFY_BATCH;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('verify: batchSize must be a positive integer');
    const log = await this.checkpoints.read(municipalityId);
    const walk = await this.walk(municipalityId, null, batchSize);
    const checkpoint = await this.compareWithCheckpoint(municipalityId, log);
    if (!walk.ok) return { ...walk, checkpoint };
    if (checkpoint.status === 'truncated') {
      const stored = await this.audit.head(this.dataSource.manager, municipalityId);
      return { ...walk, ok: false, firstBroken: { seq: (stored?.seq ?? 0) + 1, reason: 'truncated before checkpoint' }, checkpoint };
    }
    if (checkpoint.status === 'differs') {
      return { ...walk, ok: false, firstBroken: { seq: checkpoint.seq, reason: 'differs from checkpoint' }, checkpoint };
    }
    return { ...walk, ok: checkpoint.status !== 'invalid', checkpoint };
  }

  /**
   * Writes the municipality's chain head as a signed checkpoint, after
   * checking the entries since the last checkpoint (an altered chain is
   * never anchored). Returns the seq anchored, or null when nothing was
   * written: no new entries, or a problem (logged, and verify reports it).
   */
  async checkpoint(municipalityId: MunicipalityId): Promise<number | null> {
    return this.audit.withCheckpointLock(this.dataSource, municipalityId, async () => {
      const log = await this.checkpoints.read(municipalityId);
      if (log.status === 'invalid') {
        this.logger.error({ msg: 'audit checkpoint file is invalid; not writing', municipalityId, line: log.line, problem: log.problem });
        return null;
      }
      const from = log.status === 'valid' ? { seq: log.latest.seq, hash: log.latest.hash } : null;
      if (from && (await this.audit.hashAt(this.dataSource.manager, municipalityId, from.seq)) !== from.hash) {
        this.logger.error({ msg: 'audit chain differs from its checkpoint; not writing', municipalityId, seq: from.seq });
        return null;
      }
      const walk = await this.walk(municipalityId, from, DEFAULT_VERIFY_BATCH);
      if (!walk.ok) {
        this.logger.error({ msg: 'audit chain broken since the last checkpoint; not writing', municipalityId, firstBroken: walk.firstBroken });
        return null;
      }
      if (!walk.head || walk.head.seq === from?.seq) return null;
      await this.checkpoints.append(municipalityId, walk.head, this.clock.now(), log.status === 'valid' ? log.latestLine : null);
      return walk.head.seq;
    });
  }

  /** Checkpoints every municipality that has entries; the count of checkpoints written. */
  async checkpointAll(): Promise<number> {
    let written = 0;
    for (const municipalityId of await this.municipalitiesWithEntries()) {
      if ((await this.checkpoint(municipalityId)) !== null) written += 1;
    }
    return written;
  }

  private async compareWithCheckpoint(municipalityId: MunicipalityId, log: CheckpointLog): Promise<AuditCheckpointCheck> {
    if (log.status !== 'valid') return log.status === 'none' ? { status: 'none' } : { status: 'invalid', line: log.line, problem: log.problem };
    const { seq, hash, at } = log.latest;
    const stored = await this.audit.hashAt(this.dataSource.manager, municipalityId, seq);
    if (stored === null) {
      const head = await this.audit.head(this.dataSource.manager, municipalityId);
      // An entry missing in the middle with newer ones after it is a gap the walk reports; past the head it is a cut.
      if ((head?.seq ?? 0) < seq) return { status: 'truncated', seq, hash, at };
      return { status: 'differs', seq, hash, at };
    }
    return { status: stored === hash ? 'matches' : 'differs', seq, hash, at };
  }

  /** The chain walk from `from` (exclusive; null: from the start), as verify reports it. */
  private async walk(
    municipalityId: MunicipalityId,
    from: { seq: number; hash: string } | null,
    batchSize: number,
  ): Promise<Omit<AuditVerification, 'checkpoint'>> {
    const manager = this.dataSource.manager;
    let previous: { seq: number; hash: string } | null = from;
    let checked = 0;
    for (;;) {
      const batch = await this.audit.batchAfter(manager, municipalityId, previous?.seq ?? 0, batchSize);
      for (const entry of batch) {
        const expectedSeq = (previous?.seq ?? 0) + 1;
        const reason =
          entry.seq !== expectedSeq
            ? ('gap in sequence' as const)
            : entry.prevHash !== (previous?.hash ?? GENESIS_HASH)
              ? ('prev_hash mismatch' as const)
              : auditEntryHash(entry) !== entry.hash
                ? ('hash mismatch' as const)
                : null;
        if (reason) {
          return { ok: false, checked, firstBroken: { seq: reason === 'gap in sequence' ? expectedSeq : entry.seq, reason }, head: previous };
        }
        previous = { seq: entry.seq, hash: entry.hash };
        checked += 1;
      }
      if (batch.length < batchSize) return { ok: true, checked, firstBroken: null, head: previous };
    }
  }

  /** For the audit viewer: newest first, filtered, paged by seq. */
  async list(municipalityId: MunicipalityId, query: AuditListQuery): Promise<AuditPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_AUDIT_PAGE) {
      throw AuditError.invalidQuery('limit', `an integer from 1 to ${MAX_AUDIT_PAGE}`);
    }
    if (query.before !== undefined && (!Number.isSafeInteger(query.before) || query.before < 1)) {
      throw AuditError.invalidQuery('before', 'a positive integer (a seq)');
    }
    if (query.action !== undefined && !AUDIT_ACTION_PATTERN.test(query.action)) {
      throw AuditError.invalidQuery('action', 'a dotted action name such as auth.login.failed');
    }
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) throw AuditError.invalidQuery(field, 'a valid instant');
    }
    for (const field of ['targetType', 'targetId', 'actorId'] as const) {
      const value = query[field];
      if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS)) {
        throw AuditError.invalidQuery(field, `a string of 1 to ${MAX_ID_CHARS} characters`);
      }
    }
    // One extra row tells whether an older page exists.
    const rows = await this.audit.list(this.dataSource.manager, municipalityId, { ...query, limit: query.limit + 1 });
    const entries = rows.slice(0, query.limit);
    return { entries, nextBefore: rows.length > query.limit ? entries[entries.length - 1].seq : null };
  }

  /** Municipalities that have any audit entry (for the operator's verify command). */
  municipalitiesWithEntries(): Promise<MunicipalityId[]> {
    return this.audit.municipalitiesWithEntries(this.dataSource.manager);
  }

  /**
   * An append with no transaction of the caller's: one statement that links
   * to the head this process last wrote or read (see insertAtHead), so an
   * entry delivered from the outbox costs one round trip, not five. When
   * another process or an open transaction moved the head, the append takes
   * the long way in a transaction of its own, which always succeeds.
   */
  private async appendAlone(manager: EntityManager, municipalityId: MunicipalityId, input: CheckedInput): Promise<AuditEntry> {
    const head = this.heads.has(municipalityId) ? this.heads.get(municipalityId)! : await this.audit.head(manager, municipalityId);
    const linked = this.linked(municipalityId, head, input);
    let entry: AuditEntry;
    if (await this.audit.insertAtHead(manager, municipalityId, linked)) {
      entry = linked;
    } else {
      entry = await manager.transaction((transaction) => this.append(transaction, municipalityId, input));
    }
    this.heads.set(municipalityId, { seq: entry.seq, hash: entry.hash });
    return entry;
  }

  /**
   * Runs the process's appends without a caller's transaction one after
   * another per municipality: they would only refuse each other's seq.
   * The time is read in turn, so occurred_at never goes back along the chain
   * of one process.
   */
  private inTurn<T>(municipalityId: MunicipalityId, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(municipalityId) ?? Promise.resolve();
    const result = previous.then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(municipalityId, settled);
    void settled.then(() => {
      if (this.turns.get(municipalityId) === settled) this.turns.delete(municipalityId);
    });
    return result;
  }

  private async append(manager: EntityManager, municipalityId: MunicipalityId, input: CheckedInput): Promise<AuditEntry> {
    await this.audit.lockChain(manager, municipalityId);
    // Read the time under the lock, so occurred_at never goes back along the chain.
    const entry = this.linked(municipalityId, await this.audit.head(manager, municipalityId), input);
    await this.audit.insert(manager, municipalityId, entry);
    return entry;
  }

  /** The entry that follows `head` (null: the first of the chain), hashed. */
  private linked(municipalityId: MunicipalityId, head: ChainHead | null, input: CheckedInput): AuditEntry {
    const fields = {
      municipalityId,
      seq: (head?.seq ?? 0) + 1,
      occurredAt: this.clock.now(),
      actor: input.actor,
      action: input.action,
      target: input.target,
      details: input.details,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    return { ...fields, hash: auditEntryHash(fields) };
  }
}

type ChainHead = { seq: number; hash: string };

interface CheckedInput {
  actor: AuditEntry['actor'];
  action: string;
  target: AuditTarget | null;
  details: Record<string, unknown>;
}

/**
 * A malformed entry is a bug in the caller: refuse it loudly (plain Error,
 * so a 500 that shows nothing) rather than write something unverifiable.
 * Messages name the problem, never the offending value.
 */
function checkInput(entry: AuditRecordInput): CheckedInput {
  const { actor, action, target } = entry;
  if (!actor || !AUDIT_ACTOR_KINDS.includes(actor.kind)) throw new Error('audit: actor.kind must be resident, staff, system or anonymous');
  const actorId = actor.id ?? null;
  if (actorId === null ? actor.kind !== 'anonymous' : !isShortText(actorId)) {
    throw new Error(`audit: actor.id must be a string of 1 to ${MAX_ID_CHARS} characters (null only for anonymous)`);
  }
  if (typeof action !== 'string' || !AUDIT_ACTION_PATTERN.test(action)) throw new Error('audit: action must be dotted camelCase, e.g. auth.login.failed');
  if (target && (!TARGET_TYPE_PATTERN.test(target.type) || !isShortText(target.id))) {
    throw new Error(`audit: target needs a camelCase type and an id of 1 to ${MAX_ID_CHARS} characters`);
  }
  // Store and hash exactly what comes back from jsonb: Dates become strings, undefined disappears.
  const raw = entry.details ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('audit: details must be a plain object');
  const serialised = JSON.stringify(raw);
  if (serialised.length > MAX_DETAILS_CHARS) throw new Error(`audit: details exceed ${MAX_DETAILS_CHARS} characters; record ids, not content`);
  const details = JSON.parse(serialised) as Record<string, unknown>;
  if (looksLikeIndividualNumber(details)) throw new Error('audit: details hold a value that looks like an individual number; record ids and field names only');
  return { actor: { kind: actor.kind, id: actorId }, action, target: target ? { type: target.type, id: target.id } : null, details };
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_CHARS;
}

function looksLikeIndividualNumber(value: unknown): boolean {
  if (typeof value === 'string') return INDIVIDUAL_NUMBER_LIKE.test(value);
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1e11 && value < 1e12;
  if (Array.isArray(value)) return value.some(looksLikeIndividualNumber);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => INDIVIDUAL_NUMBER_LIKE.test(key) || looksLikeIndividualNumber(item));
  }
  return false;
}
