import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { AuditActions, type AuditRecordInput } from './audit-entry';
import { auditEntryHash, GENESIS_HASH } from './audit-hash';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditCheckpointStore } from './audit-checkpoint.store';
import { sqlSent } from '../../../test/support/sent-statements';

const staff = { kind: 'staff', id: 'staff-1' } as const;
const applicationA = { type: 'application', id: '3b1f8a52-1d6c-4c1e-9f7a-6a0e2f1c0a01' };
const applicationB = { type: 'application', id: '3b1f8a52-1d6c-4c1e-9f7a-6a0e2f1c0a02' };

const read = (target = applicationA, index?: number): AuditRecordInput => ({
  actor: staff,
  action: AuditActions.ApplicationRead,
  target,
  details: { fields: ['address', 'birthDate'], ...(index === undefined ? {} : { index }) },
});

describe('audit log (hash chain, real PostgreSQL)', () => {
  let t: TestApp;
  let audit: AuditService;
  let nextMunicipality = 990100;

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.get(AuditService);
  });
  afterAll(() => t.close());

  /** Each test gets a municipality of its own, so one test's tampering never breaks another's chain. */
  const freshMunicipality = async (): Promise<MunicipalityId> => {
    const id = asMunicipalityId(String(nextMunicipality++));
    await t.dataSource.query(`INSERT INTO municipalities (municipality_id, name_ja, name_en, settings) VALUES ($1, '監査市', 'Audit City', '{}')`, [id]);
    return id;
  };

  const recordMany = async (municipalityId: MunicipalityId, count: number) => {
    for (let index = 0; index < count; index += 1) {
      await audit.record(municipalityId, read(applicationA, index));
      t.clock.advance(1000);
    }
  };

  const seqs = async (municipalityId: MunicipalityId): Promise<number[]> =>
    ((await t.dataSource.query(`SELECT seq::int AS seq FROM audit_log WHERE municipality_id = $1 ORDER BY seq`, [municipalityId])) as Array<{ seq: number }>).map(
      (row) => row.seq,
    );

  /**
   * What an attacker with superuser access does: switch the triggers off for
   * one transaction on a connection of its own and change the rows.
   */
  const tamper = (sql: string, params: unknown[]) =>
    t.db.asOwner(async (owner) => {
      await owner.query('BEGIN');
      try {
        await owner.query('SET LOCAL session_replication_role = replica');
        await owner.query(sql, params);
        await owner.query('COMMIT');
      } catch (error) {
        await owner.query('ROLLBACK');
        throw error;
      }
    });

  it('appends entries linked by hash, starting from 64 zeros, and verifies them', async () => {
    const city = await freshMunicipality();
    const first = await audit.record(city, { actor: { kind: 'anonymous', id: null }, action: AuditActions.LoginFailed, details: { reason: 'unknownAccount' } });
    t.clock.advance(1500);
    const second = await audit.record(city, { actor: staff, action: AuditActions.LoginSucceeded, target: { type: 'staff', id: 'staff-1' } });
    const third = await audit.record(city, read());

    expect(first).toMatchObject({ municipalityId: city, seq: 1, prevHash: GENESIS_HASH, actor: { kind: 'anonymous', id: null }, target: null });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, details: {}, occurredAt: t.clock.now() });
    expect(third).toMatchObject({ seq: 3, prevHash: second.hash });
    expect(new Set([first.hash, second.hash, third.hash]).size).toBe(3);

    const [stored] = await t.dataSource.query(`SELECT * FROM audit_log WHERE municipality_id = $1 AND seq = 3`, [city]);
    expect(stored).toEqual({
      municipality_id: city,
      seq: '3',
      occurred_at: third.occurredAt,
      actor_kind: 'staff',
      actor_id: 'staff-1',
      action: 'application.read',
      target_type: 'application',
      target_id: applicationA.id,
      details: { fields: ['address', 'birthDate'] },
      prev_hash: second.hash,
      hash: third.hash,
    });
    expect(await audit.verify(city)).toEqual({ ok: true, checked: 3, firstBroken: null, head: { seq: 3, hash: third.hash }, checkpoint: { status: 'none' } });
  });

  it('verifies an empty chain as intact', async () => {
    expect(await audit.verify(await freshMunicipality())).toEqual({ ok: true, checked: 0, firstBroken: null, head: null, checkpoint: { status: 'none' } });
  });

  it('hashes what jsonb gives back: Dates become strings, undefined disappears', async () => {
    const city = await freshMunicipality();
    const entry = await audit.record(city, {
      actor: { kind: 'system', id: 'catalog-sync' },
      action: AuditActions.CatalogPublished,
      target: { type: 'procedure', id: 'juminhyo@2' },
      details: { effectiveFrom: new Date('2027-04-01T00:00:00Z'), note: undefined, versions: [1, 2], ratio: 0.1 },
    });
    expect(entry.details).toEqual({ effectiveFrom: '2027-04-01T00:00:00.000Z', versions: [1, 2], ratio: 0.1 });
    expect(await audit.verify(city)).toMatchObject({ ok: true, checked: 1 });
  });

  it('writes inside the caller’s transaction: rolled back with it, committed with it', async () => {
    const city = await freshMunicipality();
    await t.dataSource
      .transaction(async (manager) => {
        await audit.record(city, read(), manager);
        await audit.record(city, read(), manager);
        throw new Error('the change being recorded failed');
      })
      .catch(() => undefined);
    expect(await seqs(city)).toEqual([]);

    // No gap where the rolled-back entries were.
    await t.dataSource.transaction((manager) => audit.record(city, read(), manager));
    await audit.record(city, read());
    expect(await seqs(city)).toEqual([1, 2]);
    expect(await audit.verify(city)).toMatchObject({ ok: true, checked: 2 });
  });

  it('serialises 50 concurrent appends for one municipality: seq 1..50, one intact chain', async () => {
    const city = await freshMunicipality();
    const written = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0 ? audit.record(city, read(applicationA, index)) : t.dataSource.transaction((manager) => audit.record(city, read(applicationA, index), manager)),
      ),
    );
    expect(written.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(await seqs(city)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    const indexes: Array<{ index: number }> = await t.dataSource.query(`SELECT (details->>'index')::int AS index FROM audit_log WHERE municipality_id = $1`, [city]);
    expect(new Set(indexes.map((row) => row.index)).size).toBe(50);
    expect(await audit.verify(city, { batchSize: 7 })).toMatchObject({ ok: true, checked: 50, firstBroken: null });
    // Numeric order, not text order, past seq 9.
    const page = await audit.list(city, { limit: 3, before: 12 });
    expect(page.entries.map((entry) => entry.seq)).toEqual([11, 10, 9]);
  });

  it('keeps one chain per municipality; an open append in one does not hold up another', async () => {
    const [city, town] = [await freshMunicipality(), await freshMunicipality()];
    await recordMany(city, 2);

    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const open = await audit.record(city, read(), runner.manager);
      expect(open.seq).toBe(3);

      // The town's chain is not blocked by the city's open transaction …
      const townFirst = await audit.record(town, read(applicationB));
      expect(townFirst).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });

      // … while the city's next append waits for it.
      const waiting = audit.record(city, read());
      const settledEarly = await Promise.race([waiting.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 300))]);
      expect(settledEarly).toBe(false);
      await runner.commitTransaction();
      expect(await waiting).toMatchObject({ seq: 4, prevHash: open.hash });
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }

    await audit.record(town, read(applicationB));
    expect(await seqs(city)).toEqual([1, 2, 3, 4]);
    expect(await seqs(town)).toEqual([1, 2]);
    expect(await audit.verify(city)).toMatchObject({ ok: true, checked: 4 });
    expect(await audit.verify(town)).toMatchObject({ ok: true, checked: 2 });
  });

  describe('an append with no transaction of the caller’s', () => {
    const statementsOf = sqlSent;

    it('is one statement once the process knows the head, and links to it', async () => {
      const city = await freshMunicipality();
      const first = await audit.record(city, read());
      const sent = await statementsOf(() => audit.record(city, read()));
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^WITH chain AS \(SELECT pg_advisory_xact_lock/);
      const [second] = (await audit.list(city, { limit: 1 })).entries;
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    });

    it('takes the long way when another process moved the head, and the chain stays one', async () => {
      const city = await freshMunicipality();
      // A second service is what another API process or the worker is: a head of its own.
      const other = new AuditService(t.dataSource, t.get(AuditRepository), t.clock, t.get(AuditCheckpointStore));
      const written = [];
      for (let index = 0; index < 6; index += 1) written.push(await (index % 2 === 0 ? audit : other).record(city, read(applicationA, index)));
      expect(written.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(written.slice(1).map((entry) => entry.prevHash)).toEqual(written.slice(0, -1).map((entry) => entry.hash));
      // The stale head cost the read and the locked append; the next one is one statement again.
      const stale = await statementsOf(() => audit.record(city, read()));
      expect(stale).toEqual(expect.arrayContaining([expect.stringMatching(/^SELECT pg_advisory_xact_lock/), expect.stringMatching(/^SELECT seq, hash FROM audit_log/)]));
      expect(await statementsOf(() => audit.record(city, read()))).toHaveLength(1);
      expect(await audit.verify(city)).toMatchObject({ ok: true, checked: 8 });
    });

    it('never links to an entry removed behind its back: a head that is gone is read again', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 3);
      await tamper(`DELETE FROM audit_log WHERE municipality_id = $1 AND seq = 3`, [city]);
      const next = await audit.record(city, read());
      // As an append in a fresh process would: after the stored head, seq 2.
      expect(next).toMatchObject({ seq: 3, prevHash: (await audit.list(city, { limit: 1, before: 3 })).entries[0].hash });
    });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE: the service role by privilege, even the owner by trigger', async () => {
    const city = await freshMunicipality();
    await recordMany(city, 2);
    await expect(t.dataSource.query(`UPDATE audit_log SET details = '{}' WHERE municipality_id = $1`, [city])).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`DELETE FROM audit_log WHERE municipality_id = $1`, [city])).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied/);
    await t.db.asOwner(async (owner) => {
      await expect(owner.query(`UPDATE audit_log SET details = '{}' WHERE municipality_id = $1`, [city])).rejects.toThrow(/audit_log is append-only/);
      await expect(owner.query(`DELETE FROM audit_log WHERE municipality_id = $1`, [city])).rejects.toThrow(/audit_log is append-only/);
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/audit_log is append-only/);
      await expect(owner.query(`TRUNCATE audit_log CASCADE`)).rejects.toThrow(/audit_log is append-only/);
    });
    expect(await seqs(city)).toEqual([1, 2]);
  });

  describe('tampering behind the triggers’ back is reported at the first broken link', () => {
    it('a changed details value: hash mismatch at that entry', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 5);
      await tamper(`UPDATE audit_log SET details = '{"fields": ["address"]}' WHERE municipality_id = $1 AND seq = 3`, [city]);
      const result = await audit.verify(city);
      expect(result).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3, reason: 'hash mismatch' }, head: { seq: 2 } });
      // The service's own connections still cannot change a row.
      await expect(t.dataSource.query(`UPDATE audit_log SET details = '{}' WHERE municipality_id = $1`, [city])).rejects.toThrow(/permission denied/);
    });

    it('a deleted entry: gap in sequence at the missing seq', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 5);
      await tamper(`DELETE FROM audit_log WHERE municipality_id = $1 AND seq = 4`, [city]);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'gap in sequence' } });
    });

    it('a deleted first entry: gap in sequence at seq 1', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 3);
      await tamper(`DELETE FROM audit_log WHERE municipality_id = $1 AND seq = 1`, [city]);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1, reason: 'gap in sequence' }, head: null });
    });

    it('a replaced hash: hash mismatch at that entry', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 5);
      await tamper(`UPDATE audit_log SET hash = $2 WHERE municipality_id = $1 AND seq = 2`, [city, 'e'.repeat(64)]);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 1, firstBroken: { seq: 2, reason: 'hash mismatch' } });
    });

    it('a changed entry whose own hash was recomputed: prev_hash mismatch at the next one', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 5);
      const [victim] = await audit.list(city, { limit: 1, before: 4 }).then((page) => page.entries);
      expect(victim.seq).toBe(3);
      const forged = { ...victim, details: { fields: [] } };
      await tamper(`UPDATE audit_log SET details = $3, hash = $4 WHERE municipality_id = $1 AND seq = $2`, [city, 3, JSON.stringify(forged.details), auditEntryHash(forged)]);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'prev_hash mismatch' } });
    });

    it('finds a break beyond the first batch, reading batch by batch', async () => {
      const city = await freshMunicipality();
      await recordMany(city, 10);
      await tamper(`UPDATE audit_log SET actor_id = 'someone-else' WHERE municipality_id = $1 AND seq = 8`, [city]);
      const batches = jest.spyOn(t.get(AuditRepository), 'batchAfter');
      try {
        expect(await audit.verify(city, { batchSize: 3 })).toMatchObject({ ok: false, checked: 7, firstBroken: { seq: 8, reason: 'hash mismatch' } });
        expect(batches.mock.calls.map((call) => [call[2], call[3]])).toEqual([
          [0, 3],
          [3, 3],
          [6, 3],
        ]);
      } finally {
        batches.mockRestore();
      }
    });

    it('leaves other municipalities’ chains intact', async () => {
      const [city, town] = [await freshMunicipality(), await freshMunicipality()];
      await recordMany(city, 3);
      await recordMany(town, 3);
      await tamper(`UPDATE audit_log SET action = 'application.transition' WHERE municipality_id = $1 AND seq = 1`, [city]);
      expect(await audit.verify(city)).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'hash mismatch' } });
      expect(await audit.verify(town)).toMatchObject({ ok: true, checked: 3 });
    });
  });

  describe('list', () => {
    let city: MunicipalityId;

    beforeAll(async () => {
      city = await freshMunicipality();
      const entries: AuditRecordInput[] = [
        { actor: staff, action: AuditActions.LoginSucceeded, target: { type: 'staff', id: 'staff-1' } },
        read(applicationA),
        { actor: staff, action: AuditActions.ApplicationTransition, target: applicationA, details: { event: 'staff.accept', from: 'underReview', to: 'issuing' } },
        read(applicationB),
        read(applicationA),
        { actor: { kind: 'anonymous', id: null }, action: AuditActions.LoginFailed, details: { reason: 'badPassword' } },
      ];
      for (const entry of entries) {
        await audit.record(city, entry);
        t.clock.advance(60_000);
      }
    });

    const listed = async (query: Parameters<AuditService['list']>[1]) => {
      const page = await audit.list(city, query);
      return { seqs: page.entries.map((entry) => entry.seq), nextBefore: page.nextBefore };
    };

    it('returns full entries, newest first', async () => {
      const page = await audit.list(city, { limit: 10 });
      expect(page.entries.map((entry) => entry.seq)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(page.nextBefore).toBeNull();
      expect(page.entries[3]).toEqual({
        municipalityId: city,
        seq: 3,
        occurredAt: expect.any(Date),
        actor: staff,
        action: 'application.transition',
        target: applicationA,
        details: { event: 'staff.accept', from: 'underReview', to: 'issuing' },
        prevHash: page.entries[4].hash,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(page.entries[0].target).toBeNull();
      expect(page.entries[0].occurredAt.getTime() - page.entries[1].occurredAt.getTime()).toBe(60_000);
    });

    it('filters by target, action, or both', async () => {
      expect(await listed({ targetType: 'application', targetId: applicationA.id, limit: 10 })).toEqual({ seqs: [5, 3, 2], nextBefore: null });
      expect(await listed({ targetType: 'application', limit: 10 })).toEqual({ seqs: [5, 4, 3, 2], nextBefore: null });
      expect(await listed({ action: AuditActions.ApplicationRead, limit: 10 })).toEqual({ seqs: [5, 4, 2], nextBefore: null });
      expect(await listed({ targetType: 'application', targetId: applicationA.id, action: AuditActions.ApplicationRead, limit: 10 })).toEqual({
        seqs: [5, 2],
        nextBefore: null,
      });
      expect(await listed({ action: AuditActions.ExportCreated, limit: 10 })).toEqual({ seqs: [], nextBefore: null });
    });

    it('pages by seq', async () => {
      expect(await listed({ limit: 2 })).toEqual({ seqs: [6, 5], nextBefore: 5 });
      expect(await listed({ limit: 2, before: 5 })).toEqual({ seqs: [4, 3], nextBefore: 3 });
      expect(await listed({ limit: 2, before: 3 })).toEqual({ seqs: [2, 1], nextBefore: null });
      expect(await listed({ targetId: applicationA.id, limit: 1, before: 5 })).toEqual({ seqs: [3], nextBefore: 3 });
    });

    it('shows nothing of another municipality', async () => {
      const other = await freshMunicipality();
      expect((await audit.list(other, { limit: 10 })).entries).toEqual([]);
      expect((await audit.list(other, { targetType: 'application', targetId: applicationA.id, limit: 10 })).entries).toEqual([]);
    });

    it.each([
      ['limit', { limit: 0 }],
      ['limit', { limit: 501 }],
      ['limit', { limit: 1.5 }],
      ['before', { limit: 10, before: 0 }],
      ['action', { limit: 10, action: 'DROP TABLE' }],
      ['targetId', { limit: 10, targetId: '' }],
    ])('refuses a bad %s with AUDIT_INVALID_QUERY', async (field, query) => {
      const error = await audit.list(city, query).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuditError);
      expect(error).toMatchObject({ httpStatus: 400, code: AuditErrorCode.InvalidQuery, details: { field } });
    });
  });

  describe('record refuses a malformed entry and writes nothing', () => {
    const cases: Array<[string, AuditRecordInput, RegExp]> = [
      ['an unknown actor kind', { actor: { kind: 'provider' as never, id: 'pay' }, action: 'auth.login.failed' }, /actor.kind/],
      ['a staff actor without id', { actor: { kind: 'staff', id: null }, action: 'auth.login.failed' }, /actor.id/],
      ['an undotted action', { actor: staff, action: 'login' }, /action/],
      ['a target without id', { actor: staff, action: 'application.read', target: { type: 'application', id: '' } }, /target/],
      ['details that are an array', { actor: staff, action: 'application.read', details: [] as never }, /plain object/],
      ['an individual number in details', { actor: staff, action: 'individualNumber.decrypted', details: { value: '1234 5678 9018' } }, /individual number/],
      ['an individual number as a number', { actor: staff, action: 'individualNumber.decrypted', details: { nested: [123456789018] } }, /individual number/],
    ];

    it.each(cases)('%s', async (_name, entry, message) => {
      const city = await freshMunicipality();
      await expect(audit.record(city, entry)).rejects.toThrow(message);
      expect(await seqs(city)).toEqual([]);
    });

    it('refuses a municipality that does not exist (foreign key)', async () => {
      await expect(audit.record(asMunicipalityId('999999'), read())).rejects.toThrow(/foreign key/);
    });
  });
});
