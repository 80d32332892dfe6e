import { AuditActions, AuditService } from '@madoguchi/audit';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { verifyAll } from './audit-verify';

/** `npm run audit:verify [--checkpoint]` and the worker's checkpoint job, on a real database. */
describe('audit:verify and the checkpoint job (real PostgreSQL)', () => {
  let t: TestApp;
  let audit: AuditService;
  let nextMunicipality = 990400;

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.get(AuditService);
  });
  afterAll(() => t.close());

  const freshMunicipality = async (): Promise<MunicipalityId> => {
    const id = asMunicipalityId(String(nextMunicipality++));
    await t.dataSource.query(`INSERT INTO municipalities (municipality_id, name_ja, name_en, settings) VALUES ($1, '監査市', 'Audit City', '{}')`, [id]);
    return id;
  };

  const recordMany = async (municipalityId: MunicipalityId, count: number) => {
    for (let index = 0; index < count; index += 1) {
      await audit.record(municipalityId, { actor: { kind: 'system', id: 'test' }, action: AuditActions.LoginFailed, details: { index } });
      t.clock.advance(1000);
    }
  };

  /** As the owner: triggers off for one transaction, then the statements. */
  const asAttacker = (statements: Array<[string, unknown[]]>) =>
    t.db.asOwner(async (owner) => {
      await owner.query('BEGIN');
      await owner.query('SET LOCAL session_replication_role = replica');
      for (const [sql, params] of statements) await owner.query(sql, params);
      await owner.query('COMMIT');
    });

  it('the worker job and npm run audit:verify --checkpoint anchor every municipality with entries; the command exits 1 on a break', async () => {
    const city = await freshMunicipality();
    const town = await freshMunicipality();
    await recordMany(city, 2);
    await recordMany(town, 3);
    expect(await audit.checkpointAll()).toBeGreaterThanOrEqual(2);
    expect(await audit.verify(city)).toMatchObject({ ok: true, checkpoint: { status: 'matches', seq: 2 } });
    expect(await audit.verify(town)).toMatchObject({ ok: true, checkpoint: { status: 'matches', seq: 3 } });

    await recordMany(city, 1);
    const out: string[] = [];
    expect(await verifyAll(audit, city, true, (line) => out.push(line))).toBe(0);
    expect(out).toEqual([expect.stringMatching(/intact, 3 entries .*matches the checkpoint at seq 2/), `${city}: checkpoint written at seq 3`]);

    await asAttacker([[`DELETE FROM audit_log WHERE municipality_id = $1 AND seq = 3`, [town]]]);
    out.length = 0;
    expect(await verifyAll(audit, town, true, (line) => out.push(line))).toBe(1);
    expect(out).toEqual([expect.stringMatching(/BROKEN at seq 3: truncated before checkpoint/)]);
  });
});
