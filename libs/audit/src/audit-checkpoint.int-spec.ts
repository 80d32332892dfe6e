import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { AuditActions, type AuditEntry } from './audit-entry';
import { checkpointLine } from './audit-checkpoint';
import { describeVerification } from './audit-verification-text';
import { AuditCheckpointStore } from './audit-checkpoint.store';
import { auditEntryHash, GENESIS_HASH } from './audit-hash';
import { AuditService } from './audit.service';

/**
 * The chain anchored outside PostgreSQL. The attacker here holds the owner's
 * (superuser's) account: it gets past the triggers and can recompute every
 * hash, but not the signed checkpoint file.
 */
describe('audit checkpoints outside the database (real PostgreSQL, files)', () => {
  let t: TestApp;
  let audit: AuditService;
  let store: AuditCheckpointStore;
  let nextMunicipality = 990300;

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.get(AuditService);
    store = t.get(AuditCheckpointStore);
  });
  afterAll(() => t.close());

  const freshMunicipality = async (): Promise<MunicipalityId> => {
    const id = asMunicipalityId(String(nextMunicipality++));
    await t.dataSource.query(`INSERT INTO municipalities (municipality_id, name_ja, name_en, settings) VALUES ($1, '監査市', 'Audit City', '{}')`, [id]);
    return id;
  };

  const recordMany = async (municipalityId: MunicipalityId, count: number) => {
    for (let index = 0; index < count; index += 1) {
      await audit.record(municipalityId, { actor: { kind: 'staff', id: 'staff-1' }, action: AuditActions.ApplicationRead, target: { type: 'application', id: `app-${index}` }, details: { index } });
      t.clock.advance(1000);
    }
  };

  /** As the owner: triggers off for one transaction, then the statements. */
  const asAttacker = (statements: Array<[string, unknown[]]>) =>
    t.db.asOwner(async (owner) => {
      await owner.query('BEGIN');
      try {
        await owner.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
        for (const [sql, params] of statements) await owner.query(sql, params);
        await owner.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
        await owner.query('COMMIT');
      } catch (error) {
        await owner.query('ROLLBACK');
        throw error;
      }
    });

  const entries = async (municipalityId: MunicipalityId): Promise<AuditEntry[]> => (await audit.list(municipalityId, { limit: 500 })).entries.reverse();

  /** Changes entry `seq` and recomputes its hash and every later one, so the chain alone looks intact. */
  const rewriteAndRecompute = async (municipalityId: MunicipalityId, seq: number) => {
    const chain = await entries(municipalityId);
    const statements: Array<[string, unknown[]]> = [];
    let prevHash = chain[seq - 2]?.hash ?? GENESIS_HASH;
    for (const entry of chain.slice(seq - 1)) {
      const fields = { ...entry, prevHash, details: entry.seq === seq ? { index: 'nothing to see' } : entry.details };
      const hash = auditEntryHash(fields);
      statements.push([`UPDATE audit_log SET details = $3, prev_hash = $4, hash = $5 WHERE municipality_id = $1 AND seq = $2`, [municipalityId, entry.seq, JSON.stringify(fields.details), prevHash, hash]]);
      prevHash = hash;
    }
    await asAttacker(statements);
  };

  it('anchors the head in a signed, chained line; writes again only when the chain grew', async () => {
    const city = await freshMunicipality();
    expect(await audit.verify(city)).toMatchObject({ ok: true, checked: 0, checkpoint: { status: 'none' } });
    await recordMany(city, 3);
    expect(await audit.checkpoint(city)).toBe(3);
    expect(await audit.checkpoint(city)).toBeNull();
    await recordMany(city, 2);
    expect(await audit.checkpoint(city)).toBe(5);

    const lines = readFileSync(store.fileOf(city), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const chain = await entries(city);
    expect(lines).toEqual([
      { v: 1, municipalityId: city, seq: 3, hash: chain[2].hash, at: expect.any(String), prev: GENESIS_HASH, sig: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { v: 1, municipalityId: city, seq: 5, hash: chain[4].hash, at: t.clock.now().toISOString(), prev: expect.stringMatching(/^[0-9a-f]{64}$/), sig: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const result = await audit.verify(city);
    expect(result).toEqual({ ok: true, checked: 5, firstBroken: null, head: { seq: 5, hash: chain[4].hash }, checkpoint: { status: 'matches', seq: 5, hash: chain[4].hash, at: lines[1].at } });
    expect(describeVerification(city, result)).toMatch(/intact, 5 entries checked .*matches the checkpoint at seq 5/);
  });

  it('a rewritten entry with every later hash recomputed behind disabled triggers: the chain looks intact, the checkpoint does not', async () => {
    const city = await freshMunicipality();
    await recordMany(city, 6);
    expect(await audit.checkpoint(city)).toBe(6);
    const signed = (await entries(city))[5].hash;
    await rewriteAndRecompute(city, 3);

    const result = await audit.verify(city);
    // Every link recomputes: the walk alone would call this intact.
    expect(result).toEqual({
      ok: false,
      checked: 6,
      firstBroken: { seq: 6, reason: 'differs from checkpoint' },
      head: { seq: 6, hash: expect.not.stringMatching(signed) },
      checkpoint: { status: 'differs', seq: 6, hash: signed, at: expect.any(String) },
    });
    expect(describeVerification(city, result)).toMatch(/BROKEN at seq 6: differs from checkpoint .*DIFFERS from the checkpoint/);
    // The altered chain is never anchored: the checkpoint stays the honest one.
    await recordMany(city, 1);
    expect(await audit.checkpoint(city)).toBeNull();
    expect(await audit.verify(city)).toMatchObject({ ok: false, checkpoint: { status: 'differs', seq: 6, hash: signed } });
  });

  it('the newest entries deleted: reported as truncated below the checkpoint', async () => {
    const city = await freshMunicipality();
    await recordMany(city, 6);
    await audit.checkpoint(city);
    await asAttacker([[`DELETE FROM audit_log WHERE municipality_id = $1 AND seq > 3`, [city]]]);

    const result = await audit.verify(city);
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'truncated before checkpoint' }, head: { seq: 3 }, checkpoint: { status: 'truncated', seq: 6 } });
    expect(describeVerification(city, result)).toMatch(/BROKEN at seq 4: truncated before checkpoint.*TRUNCATED/);

    // Deleted and refilled to past the checkpoint: the signed entry differs.
    await recordMany(city, 4);
    expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 7, firstBroken: { seq: 6, reason: 'differs from checkpoint' }, checkpoint: { status: 'differs' } });
  });

  it('a chain broken in the middle is still reported at its first broken link', async () => {
    const city = await freshMunicipality();
    await recordMany(city, 4);
    await audit.checkpoint(city);
    await asAttacker([[`UPDATE audit_log SET actor_id = 'someone-else' WHERE municipality_id = $1 AND seq = 2`, [city]]]);
    expect(await audit.verify(city)).toMatchObject({ ok: false, checked: 1, firstBroken: { seq: 2, reason: 'hash mismatch' }, checkpoint: { status: 'matches', seq: 4 } });
  });

  describe('a tampered checkpoint file is reported, and never extended', () => {
    const anchored = async (count = 2) => {
      const city = await freshMunicipality();
      for (let index = 0; index < count; index += 1) {
        await recordMany(city, 2);
        await audit.checkpoint(city);
      }
      return { city, file: store.fileOf(city), lines: readFileSync(store.fileOf(city), 'utf8').trimEnd().split('\n') };
    };

    it('an edited line (seq lowered to hide a truncation): bad signature', async () => {
      const { city, file, lines } = await anchored();
      const last = JSON.parse(lines[1]);
      lines[1] = JSON.stringify({ ...last, seq: 2, hash: JSON.parse(lines[0]).hash });
      writeFileSync(file, `${lines.join('\n')}\n`);
      const result = await audit.verify(city);
      expect(result).toEqual({ ok: false, checked: 4, firstBroken: null, head: expect.objectContaining({ seq: 4 }), checkpoint: { status: 'invalid', line: 2, problem: 'bad signature' } });
      expect(describeVerification(city, result)).toMatch(/NOT VERIFIED: CHECKPOINT FILE TAMPERED: line 2: bad signature/);
      await recordMany(city, 1);
      expect(await audit.checkpoint(city)).toBeNull();
    });

    it('a line forged with another key: bad signature', async () => {
      const { city, file, lines } = await anchored(1);
      const head = (await entries(city))[1];
      appendFileSync(file, `${checkpointLine(Buffer.alloc(32, 7), { municipalityId: city, seq: 2, hash: head.hash }, new Date(), lines[0])}\n`);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checkpoint: { status: 'invalid', line: 2, problem: 'bad signature' } });
    });

    it('a line taken out of the middle: the next is no longer linked', async () => {
      const { city, file, lines } = await anchored(3);
      writeFileSync(file, `${[lines[0], lines[2]].join('\n')}\n`);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checkpoint: { status: 'invalid', line: 2, problem: 'not linked to the line before' } });
    });

    it('a line cut short, or garbage appended', async () => {
      const { city, file, lines } = await anchored();
      writeFileSync(file, `${lines[0]}\n${lines[1].slice(0, 40)}`);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checkpoint: { status: 'invalid', line: 2, problem: 'the last line is incomplete' } });
      writeFileSync(file, `${lines.join('\n')}\nnot json\n`);
      expect(await audit.verify(city)).toMatchObject({ ok: false, checkpoint: { status: 'invalid', line: 3, problem: 'not a checkpoint' } });
    });

    it('another municipality’s valid file copied over this one', async () => {
      const one = await anchored(1);
      const two = await anchored(1);
      writeFileSync(two.file, readFileSync(one.file));
      expect(await audit.verify(two.city)).toMatchObject({ ok: false, checkpoint: { status: 'invalid', line: 1, problem: 'another municipality' } });
    });
  });
});
