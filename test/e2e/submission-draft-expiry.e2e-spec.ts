import { DraftExpiryJob } from '@madoguchi/applications/draft-expiry.job';
import { expectError } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  DAY,
  eventTypes,
  expectNoServerErrors,
  MINUTE,
  rowCounts,
  startSubmissionApp,
  storedApplication,
  submitted,
  type SubmissionHarness,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Drafts nobody touched for DRAFT_TTL_DAYS are discarded by the draft-expiry
 * job (run here by hand, as the worker would). Each configuration gets its
 * own app and database, since the job sweeps every draft there is. Days pass
 * on the test clock, so the resident signs in again after each jump.
 */
describe.each([
  { ttlDays: 30, env: {} as Record<string, string> },
  { ttlDays: 7, env: { DRAFT_TTL_DAYS: '7' } },
])('draft expiry after $ttlDays days (HTTP, real PostgreSQL)', ({ ttlDays, env }) => {
  const email = `drafts-${ttlDays}@example.jp`;
  let h: SubmissionHarness;
  let as: Client;

  beforeAll(async () => {
    h = await startSubmissionApp({ env });
    await h.identity.resident(email);
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });

  /** Lets time pass and signs in again: access tokens do not outlive the jump. */
  async function later(ms: number): Promise<void> {
    h.t.clock.advance(ms);
    as = client(h.server, (await h.identity.residentTokens(email)).accessToken);
  }

  it(`keeps a draft until ${ttlDays} days without a change, then discards it; a fresh draft, a recently saved one and a submitted application stay`, async () => {
    await later(MINUTE);
    const stale = (await as.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ' } }).expect(201)).body;
    const touched = (await as.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }).expect(201)).body;
    const sent = await submitted(as, TEST_CERTIFICATE, CERTIFICATE_FORM);

    // A day short of the limit: nothing to do.
    await later((ttlDays - 1) * DAY);
    expect(await h.t.get(DraftExpiryJob).run()).toBe(0);
    await as.put(`/api/v1/applications/${touched.id}/form`, { formData: { scope: '世帯全員' }, revision: 1 }).expect(200);

    await later(DAY + MINUTE);
    const fresh = (await as.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }).expect(201)).body;
    const before = await rowCounts(h.t);
    expect(await h.t.get(DraftExpiryJob).run()).toBe(1);
    // One event, no new application, no reference number.
    expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications, events: before.events + 1, referenceNumbers: before.referenceNumbers });

    const expired = await as.get(`/api/v1/applications/${stale.id}`).expect(200);
    expect(expired.body).toMatchObject({ state: 'discarded', status: { ja: '破棄済み', en: 'Discarded' }, referenceNumber: null, formData: { scope: '本人のみ' } });
    expect(await eventTypes(h.t, stale.id)).toEqual(['application.created', 'resident.discard']);
    const [discard]: Array<{ actor_kind: string; actor_id: string }> = await h.t.dataSource.query(
      `SELECT actor_kind, actor_id FROM application_events WHERE application_id = $1 AND type = 'resident.discard'`,
      [stale.id],
    );
    expect(discard).toEqual({ actor_kind: 'system', actor_id: 'draft-expiry' });
    const timeline = await as.get(`/api/v1/applications/${stale.id}/timeline`).expect(200);
    expect(timeline.body.at(-1)).toMatchObject({ event: 'resident.discard', description: { ja: '下書きを破棄しました', en: 'Draft discarded' } });
    // The resident can no longer save or submit it.
    expectError(await as.put(`/api/v1/applications/${stale.id}/form`, { formData: CERTIFICATE_FORM, revision: 2 }), 409, 'APPLICATION_NOT_DRAFT');
    expectError(await as.post(`/api/v1/applications/${stale.id}/submit`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');

    expect((await storedApplication(h.t, touched.id)).state).toBe('draft');
    expect((await storedApplication(h.t, fresh.id)).state).toBe('draft');
    expect((await storedApplication(h.t, sent.id)).state).toBe('awaitingPayment');

    // Running again finds nothing; the saved one goes once its own time is up.
    expect(await h.t.get(DraftExpiryJob).run()).toBe(0);
    await later((ttlDays - 1) * DAY);
    expect(await h.t.get(DraftExpiryJob).run()).toBe(1);
    expect((await storedApplication(h.t, touched.id)).state).toBe('discarded');
    expect((await storedApplication(h.t, fresh.id)).state).toBe('draft');
  });
});
