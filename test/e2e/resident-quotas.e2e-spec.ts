import { expectError } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  expectNoServerErrors,
  refusedWithoutWrites,
  rowCounts,
  SECOND,
  startSubmissionApp,
  type SubmissionHarness,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Issue 10 ("Trust"), storage per account: MAX_DRAFTS_PER_RESIDENT open
 * drafts and MAX_ATTACHMENT_BYTES_PER_RESIDENT bytes of stored files, so one
 * account cannot fill the database. Both checks run under a per-resident
 * advisory lock in the writing transaction: concurrent requests at the cap
 * cannot all pass. Here the caps are small (3 drafts, 1 MB).
 */

const MB = 1024 * 1024;
const MAX_DRAFTS = 3;
const KB300 = 300 * 1024;

let tagCounter = 0;
/** A PDF of `size` bytes whose content (and SHA-256) is unique. */
function pdf(size = KB300, tag = `${(tagCounter += 1)}`): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% quota ${tag}\n`, 'latin1');
  const padded = Buffer.alloc(size, 0x20);
  head.copy(padded);
  return padded;
}

describe('per-resident caps on drafts and attachment bytes (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;

  beforeAll(async () => {
    h = await startSubmissionApp({ env: { MAX_DRAFTS_PER_RESIDENT: String(MAX_DRAFTS), MAX_ATTACHMENT_BYTES_PER_RESIDENT: String(MB) } });
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  beforeEach(() => h.t.clock.advance(SECOND));

  const resident = async (email: string): Promise<Client> => client(h.server, (await h.identity.resident(email)).token);
  const createDraft = (as: Client) => as.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM });
  const draft = async (as: Client): Promise<string> => (await createDraft(as).expect(201)).body.id;
  const storedBytes = async (): Promise<number> =>
    Number((await h.t.dataSource.query(`SELECT coalesce(sum(size_bytes), 0)::bigint AS n FROM attachments`))[0].n);

  describe('drafts', () => {
    it('refuses a draft over the cap with APPLICATION_DRAFT_LIMIT, writing nothing; discarding one makes room; submitted ones do not count', async () => {
      const as = await resident('quota-drafts@example.jp');
      const ids: string[] = [];
      for (let n = 0; n < MAX_DRAFTS; n += 1) ids.push(await draft(as));
      const refused = await refusedWithoutWrites(h, () => createDraft(as), 409, 'APPLICATION_DRAFT_LIMIT');
      expect(refused.body.message.ja).toContain('破棄');
      expect(refused.body.message.en).toContain('Discard a draft');
      expect(refused.body.details).toEqual({ maxDrafts: MAX_DRAFTS });
      // Another resident is not affected.
      await draft(await resident('quota-drafts-other@example.jp'));

      await as.post(`/api/v1/applications/${ids[0]}/discard`, { revision: 1 }).expect(200);
      await draft(as);
      expectError(await createDraft(as), 409, 'APPLICATION_DRAFT_LIMIT');
      // A submitted application is no longer a draft.
      await as.post(`/api/v1/applications/${ids[1]}/submit`, { revision: 1 }).expect(200);
      await draft(as);
    });

    it('lets exactly one of 10 concurrent creates through at cap - 1', async () => {
      const as = await resident('quota-drafts-race@example.jp');
      for (let n = 0; n < MAX_DRAFTS - 1; n += 1) await draft(as);
      const before = await rowCounts(h.t);
      const responses = await Promise.all(Array.from({ length: 10 }, () => createDraft(as)));
      expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const response of responses.filter((r) => r.status === 409)) expect(response.body.code).toBe('APPLICATION_DRAFT_LIMIT');
      expect((await rowCounts(h.t)).applications).toBe(before.applications + 1);
    });
  });

  describe('attachment bytes', () => {
    it('refuses a file that would pass the byte cap with ATTACHMENT_QUOTA_EXCEEDED, writing nothing; a reused file counts once; removing a file makes room', async () => {
      const as = await resident('quota-bytes@example.jp');
      const first = await draft(as);
      const second = await draft(as);
      const files = [pdf(), pdf(), pdf()];
      for (const file of files) await as.upload(first, file, 'scan.pdf').expect(201);
      // 900 KB stored: the same content again, on another draft, adds nothing.
      const again = await as.upload(second, files[0], 'scan-again.pdf').expect(201);
      const listed = (await as.get('/api/v1/attachments').expect(200)).body as Array<{ id: string }>;
      const sharedId = listed.find((file) => file.id !== again.body.id)!.id;
      const reused = await as.post(`/api/v1/applications/${second}/attachments/reuse`, { attachmentId: sharedId });
      expect([200, 201]).toContain(reused.status);

      const refused = await refusedWithoutWrites(h, () => as.upload(second, pdf(), 'one-too-many.pdf'), 409, 'ATTACHMENT_QUOTA_EXCEEDED');
      expect(refused.body.details).toEqual({ maxBytes: MB, usedBytes: 3 * KB300 });
      expect(refused.body.message.ja).toContain('削除');
      expect(refused.body.message.en).toContain('Remove files');

      // Removing a file from both drafts deletes it: its bytes are free again.
      // (The file both drafts hold is the reused one: listings have no order to rely on.)
      const firstFiles = (await as.get(`/api/v1/applications/${first}/attachments`).expect(200)).body as Array<{ id: string; sha256: string }>;
      const shared = firstFiles.find((file) => file.id === sharedId)!;
      await as.delete(`/api/v1/applications/${first}/attachments/${shared.id}`).expect(204);
      expectError(await as.upload(second, pdf(), 'still-too-many.pdf'), 409, 'ATTACHMENT_QUOTA_EXCEEDED');
      await as.delete(`/api/v1/applications/${second}/attachments/${shared.id}`).expect(204);
      await as.upload(second, pdf(), 'now-fits.pdf').expect(201);
    });

    it('never lets concurrent uploads around the cap store more than the cap', async () => {
      const as = await resident('quota-bytes-race@example.jp');
      const drafts = [await draft(as), await draft(as), await draft(as)];
      const before = await storedBytes();
      // Ten distinct 300 KB files at once, spread over three drafts: at most three fit in 1 MB.
      const responses = await Promise.all(Array.from({ length: 10 }, (_, n) => as.upload(drafts[n % 3], pdf(), `race-${n}.pdf`)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(3);
      expect(statuses.filter((status) => status === 409)).toHaveLength(7);
      for (const response of responses.filter((r) => r.status === 409)) expect(response.body.code).toBe('ATTACHMENT_QUOTA_EXCEEDED');
      expect((await storedBytes()) - before).toBeLessThanOrEqual(MB);
      expect((await storedBytes()) - before).toBe(3 * KB300);
    });
  });
});
