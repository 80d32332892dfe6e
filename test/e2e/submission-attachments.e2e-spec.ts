import { createHash } from 'node:crypto';
import request from 'supertest';
import type { StaffHandle } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  expectNoServerErrors,
  markPaid,
  publishSmallAttachmentsCertificate,
  rowCounts,
  SECOND,
  SMALL_ATTACHMENTS_CERTIFICATE,
  startSubmissionApp,
  type SubmissionHarness,
  UNKNOWN_ID,
  refusedWithoutWrites,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Attachments: the raw file as the request body, its name percent-encoded in
 * X-File-Name. The type is judged from the bytes; limits come from the
 * procedure (default 10 files of 10 MB) under a 20 MB hard ceiling; files are
 * stored once per resident and content, and can be attached again to a later
 * application (ワンスオンリー). Staff of the owning department download them,
 * audited.
 */

let counter = 0;
/** A small but real-looking PDF; `tag` makes the bytes (and the hash) differ. */
function pdf(tag = `${(counter += 1)}`, size?: number): Buffer {
  const body = Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${tag}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
  if (size === undefined) return body;
  const padded = Buffer.alloc(size, 0x20);
  body.copy(padded);
  return padded;
}
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0', 'latin1')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'), Buffer.from([0xff, 0xd9])]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0\x04\0\0\0', 'latin1'), Buffer.alloc(64, 0)]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(40, 0)]);
const TEXT = Buffer.from('これはPDFではありません。\n', 'utf8');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MB = 1024 * 1024;

describe('attachments (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let aToken: string;
  let a: Client;
  let b: Client;
  let shiminClerk: StaffHandle;
  let zeimuClerk: StaffHandle;

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishSmallAttachmentsCertificate(h.t);
    aToken = (await h.identity.resident('attach-a@example.jp')).token;
    a = client(h.server, aToken);
    b = client(h.server, (await h.identity.resident('attach-b@example.jp')).token);
    shiminClerk = await h.identity.staff('clerk.shimin.attach', ['clerk'], { departments: ['shimin'] });
    zeimuClerk = await h.identity.staff('clerk.zeimu.attach', ['clerk'], { departments: ['zeimu'] });
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  beforeEach(() => h.t.clock.advance(SECOND));

  const draft = async (as: Client = a, procedureCode = TEST_CERTIFICATE): Promise<string> =>
    (await as.post('/api/v1/applications', { procedureCode, formData: CERTIFICATE_FORM }).expect(201)).body.id;
  const auditReads = async (applicationId: string): Promise<Array<{ actor_id: string; details: { fields: string[]; attachmentId?: string } }>> =>
    h.t.dataSource.query(`SELECT actor_id, details FROM audit_log WHERE action = 'application.read' AND target_id = $1 ORDER BY seq`, [applicationId]);

  describe('upload', () => {
    it('stores a PDF, a PNG and a JPEG with the SHA-256 of the bytes and the type judged from them', async () => {
      const id = await draft();
      for (const [bytes, name, contentType] of [
        [pdf('first'), '住民票 写し.pdf', 'application/pdf'],
        [PNG, 'scan.png', 'image/png'],
        [JPEG, 'photo.jpg', 'image/jpeg'],
      ] as const) {
        h.t.clock.advance(SECOND); // listed in upload order
        const before = await rowCounts(h.t);
        const response = await a.upload(id, bytes, name).expect(201);
        expect(response.body).toEqual({ id: expect.any(String), fileName: name, contentType, sizeBytes: bytes.length, sha256: sha256(bytes) });
        expect(await rowCounts(h.t)).toMatchObject({ attachments: before.attachments + 1, links: before.links + 1, applications: before.applications, events: before.events });
      }
      const listed = await a.get(`/api/v1/applications/${id}/attachments`).expect(200);
      expect(listed.body.map((file: { fileName: string }) => file.fileName)).toEqual(['住民票 写し.pdf', 'scan.png', 'photo.jpg']);
    });

    it('believes the bytes, not the name or the Content-Type: a PDF named photo.png sent as image/png is stored as application/pdf', async () => {
      const id = await draft();
      const bytes = pdf();
      const stored = await request(h.server)
        .post(`/api/v1/applications/${id}/attachments`)
        .set('Authorization', `Bearer ${aToken}`)
        .set('Content-Type', 'image/png')
        .set('X-File-Name', 'photo.png')
        .send(bytes)
        .expect(201);
      expect(stored.body).toMatchObject({ fileName: 'photo.png', contentType: 'application/pdf', sha256: sha256(bytes) });
      const [row]: Array<{ content_type: string; size_bytes: number }> = await h.t.dataSource.query(`SELECT content_type, size_bytes FROM attachments WHERE id = $1`, [stored.body.id]);
      expect(row).toEqual({ content_type: 'application/pdf', size_bytes: bytes.length });
    });

    it('refuses an empty file: 400 ATTACHMENT_EMPTY', async () => {
      const id = await draft();
      const response = await refusedWithoutWrites(h, () => a.upload(id, Buffer.alloc(0), 'empty.pdf'), 400, 'ATTACHMENT_EMPTY');
      expect(response.body.message).toEqual({ ja: 'ファイルが空です。', en: 'The file is empty.' });
    });

    it('refuses an EXE, a ZIP or a text file renamed .pdf: 415 ATTACHMENT_TYPE_NOT_ACCEPTED naming the accepted types', async () => {
      const id = await draft();
      for (const bytes of [EXE, ZIP, TEXT, Buffer.from('%PD'), Buffer.from([0x89, 0x50, 0x4e, 0x47])]) {
        const response = await refusedWithoutWrites(h, () => a.upload(id, bytes, 'document.pdf'), 415, 'ATTACHMENT_TYPE_NOT_ACCEPTED');
        expect(response.body).toMatchObject({
          message: { ja: '添付できるのは PDF・JPEG・PNG 形式のファイルです。', en: 'Only PDF, JPEG, PNG files are accepted.' },
          details: { accepted: ['pdf', 'jpeg', 'png'] },
        });
      }
    });

    it('refuses names with folders, dots, control or direction characters, none at all or over 200 characters: 400 ATTACHMENT_NAME_INVALID; NUL and bad encoding: 400 UNSUPPORTED_CHARACTERS', async () => {
      const id = await draft();
      const names: Array<[string, boolean]> = [
        ['../../etc/passwd', false],
        ['a/b.pdf', false],
        ['..\\x.pdf', false],
        ['C:\\Users\\x.pdf', false],
        ['.htaccess', false],
        ['report..pdf', false],
        ['line\nbreak.pdf', false],
        ['bell\u0007.pdf', false],
        ['invoice\u202Efdp.exe', false],
        ['zero\u200bwidth.pdf', false],
        ['c1\u0085.pdf', false],
        ['   ', false],
        [`${'あ'.repeat(197)}.pdf`, false],
        ['a%2Fb.pdf', true],
        ['%2e%2e%2fetc', true],
      ];
      for (const [name, raw] of names) {
        const response = await refusedWithoutWrites(h, () => a.upload(id, pdf(), name, raw), 400, 'ATTACHMENT_NAME_INVALID');
        expect(response.body.message.en).toContain('X-File-Name');
      }
      // What PostgreSQL could not store (NUL, bytes that are not UTF-8, an
      // encoded surrogate) is refused before routing, as in every header and URL.
      for (const [name, raw] of [['nul\u0000.pdf', false], ['%E0%A4%A', true], ['%ED%A0%80.pdf', true]] as Array<[string, boolean]>) {
        await refusedWithoutWrites(h, () => a.upload(id, pdf(), name, raw), 400, 'UNSUPPORTED_CHARACTERS');
      }
      await refusedWithoutWrites(h, () => a.upload(id, pdf()), 400, 'ATTACHMENT_NAME_INVALID');
      // 200 characters is the longest accepted.
      await a.upload(id, pdf(), `${'あ'.repeat(196)}.pdf`).expect(201);
    });

    it('refuses a file over the procedure limit (413 ATTACHMENT_TOO_LARGE) and anything over the 20 MB ceiling (413 PAYLOAD_TOO_LARGE)', async () => {
      const id = await draft();
      const tooLarge = await refusedWithoutWrites(h, () => a.upload(id, pdf('big', 10 * MB + 1), 'big.pdf'), 413, 'ATTACHMENT_TOO_LARGE');
      expect(tooLarge.body).toMatchObject({ message: { ja: 'ファイルは10MBまでです。', en: 'Files may be at most 10MB.' }, details: { maxBytes: 10 * MB } });
      const ceiling = await refusedWithoutWrites(h, () => a.upload(id, pdf('huge', 20 * MB + 1), 'huge.pdf'), 413, 'PAYLOAD_TOO_LARGE');
      expect(ceiling.body.message).toEqual({ ja: '送信されたデータが大きすぎます。', en: 'The request body is too large.' });
      // Exactly at the procedure limit is fine.
      await a.upload(id, pdf('edge', 10 * MB), 'edge.pdf').expect(201);
    });

    it('applies the procedure’s own limits: 2 KB (the message says 2KB, not 0MB), PDF only, two files', async () => {
      const id = await draft(a, SMALL_ATTACHMENTS_CERTIFICATE);
      const tooLarge = await refusedWithoutWrites(h, () => a.upload(id, pdf('small', 2049), 'a.pdf'), 413, 'ATTACHMENT_TOO_LARGE');
      expect(tooLarge.body).toMatchObject({ message: { ja: 'ファイルは2KBまでです。', en: 'Files may be at most 2KB.' }, details: { maxBytes: 2048 } });
      const png = await refusedWithoutWrites(h, () => a.upload(id, PNG, 'scan.png'), 415, 'ATTACHMENT_TYPE_NOT_ACCEPTED');
      expect(png.body.details).toEqual({ accepted: ['pdf'] });

      await a.upload(id, pdf('small-1', 2048), 'one.pdf').expect(201);
      await a.upload(id, pdf('small-2'), 'two.pdf').expect(201);
      const third = await refusedWithoutWrites(h, () => a.upload(id, pdf('small-3'), 'three.pdf'), 422, 'ATTACHMENT_LIMIT');
      expect(third.body).toMatchObject({ message: { ja: '添付できるファイルは2件までです。', en: 'At most 2 files can be attached.' }, details: { maxCount: 2 } });
    });

    it('holds the count under concurrent uploads: with one slot left, one of two parallel uploads gets it', async () => {
      const id = await draft(a, SMALL_ATTACHMENTS_CERTIFICATE);
      await a.upload(id, pdf(), 'first.pdf').expect(201);
      const responses = await Promise.all([pdf(), pdf()].map((bytes, index) => a.upload(id, bytes, `race-${index}.pdf`)));
      expect(responses.map((response) => response.status).sort()).toEqual([201, 422]);
      expect((await a.get(`/api/v1/applications/${id}/attachments`).expect(200)).body).toHaveLength(2);
    });

    it('refuses uploads after submission (409 ATTACHMENT_NOT_EDITABLE) but takes them again while returned for correction', async () => {
      const id = await draft();
      await a.upload(id, pdf(), 'before.pdf').expect(201);
      const [attachment] = (await a.get(`/api/v1/applications/${id}/attachments`).expect(200)).body;
      await a.post(`/api/v1/applications/${id}/submit`, {}).expect(200);
      const response = await refusedWithoutWrites(h, () => a.upload(id, pdf(), 'after.pdf'), 409, 'ATTACHMENT_NOT_EDITABLE');
      expect(response.body.message.en).toBe('Attachments can change only in a draft or after a return for correction.');
      await refusedWithoutWrites(h, () => a.delete(`/api/v1/applications/${id}/attachments/${attachment.id}`), 409, 'ATTACHMENT_NOT_EDITABLE');

      await markPaid(h.t, id);
      await client(h.server, shiminClerk.token)
        .post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: '証明書の写しを添付してください。' } })
        .expect(200);
      await a.upload(id, pdf(), 'requested.pdf').expect(201);
    });

    it("gives another resident 404 for every attachment route of someone else's application", async () => {
      const id = await draft();
      const file = (await a.upload(id, pdf(), 'mine.pdf').expect(201)).body;
      await refusedWithoutWrites(h, () => b.upload(id, pdf(), 'theirs.pdf'), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.get(`/api/v1/applications/${id}/attachments`), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.get(`/api/v1/applications/${id}/attachments/${file.id}`), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.delete(`/api/v1/applications/${id}/attachments/${file.id}`), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.upload(UNKNOWN_ID, pdf(), 'x.pdf'), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => a.get(`/api/v1/applications/${id}/attachments/${UNKNOWN_ID}`), 404, 'ATTACHMENT_NOT_FOUND');
      await refusedWithoutWrites(h, () => a.upload('not-a-uuid', pdf(), 'x.pdf'), 400, 'BAD_REQUEST');
    });
  });

  describe('download, reuse and storage', () => {
    it('downloads the exact bytes as an attachment with the stored content type and the name encoded', async () => {
      const id = await draft();
      const bytes = pdf('download');
      const file = (await a.upload(id, bytes, '申請書 (控え).pdf').expect(201)).body;
      const response = await a.download(`/api/v1/applications/${id}/attachments/${file.id}`).expect(200);
      expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('申請書 (控え).pdf')}`);
      expect(response.headers['content-length']).toBe(String(bytes.length));

      const image = (await a.upload(id, PNG, 'picture.pdf').expect(201)).body;
      const png = await a.download(`/api/v1/applications/${id}/attachments/${image.id}`).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['content-disposition']).toMatch(/^attachment;/);
      expect(Buffer.compare(png.body as Buffer, PNG)).toBe(0);
    });

    it('stores identical bytes from one resident once, and a second resident’s copy separately', async () => {
      const first = await draft();
      const second = await draft();
      const bytes = pdf('same');
      const before = await rowCounts(h.t);
      const one = (await a.upload(first, bytes, 'original.pdf').expect(201)).body;
      const again = (await a.upload(second, bytes, 'renamed.pdf').expect(201)).body;
      expect(again.id).toBe(one.id);
      // The first name is kept for the stored file.
      expect(again.fileName).toBe('original.pdf');
      expect(await rowCounts(h.t)).toMatchObject({ attachments: before.attachments + 1, links: before.links + 2 });
      // Twice to the same application: still one link.
      await a.upload(first, bytes, 'original.pdf').expect(201);
      expect((await a.get(`/api/v1/applications/${first}/attachments`).expect(200)).body).toHaveLength(1);

      const theirs = (await b.upload(await draft(b), bytes, 'original.pdf').expect(201)).body;
      expect(theirs.id).not.toBe(one.id);
      expect(theirs.sha256).toBe(one.sha256);
      const rows: Array<{ n: number }> = await h.t.dataSource.query(`SELECT count(*)::int AS n FROM attachments WHERE sha256 = $1`, [sha256(bytes)]);
      expect(rows[0].n).toBe(2);
    });

    it('attaches an earlier file to a new application without a new row (ワンスオンリー); another resident’s file is a 404', async () => {
      const earlier = await draft();
      const bytes = pdf('reuse');
      const file = (await a.upload(earlier, bytes, '本人確認書類.pdf').expect(201)).body;
      await a.post(`/api/v1/applications/${earlier}/submit`, {}).expect(200);

      const mine = (await a.get('/api/v1/attachments').expect(200)).body;
      expect(mine).toContainEqual({ id: file.id, fileName: '本人確認書類.pdf', contentType: 'application/pdf', sizeBytes: bytes.length, sha256: sha256(bytes) });
      expect((await b.get('/api/v1/attachments').expect(200)).body.map((item: { id: string }) => item.id)).not.toContain(file.id);

      const later = await draft();
      const before = await rowCounts(h.t);
      const reused = await a.post(`/api/v1/applications/${later}/attachments/reuse`, { attachmentId: file.id }).expect(201);
      expect(reused.body).toEqual({ id: file.id, fileName: '本人確認書類.pdf', contentType: 'application/pdf', sizeBytes: bytes.length, sha256: sha256(bytes) });
      expect(await rowCounts(h.t)).toMatchObject({ attachments: before.attachments, links: before.links + 1 });
      const downloaded = await a.download(`/api/v1/applications/${later}/attachments/${file.id}`).expect(200);
      expect(Buffer.compare(downloaded.body as Buffer, bytes)).toBe(0);

      const bLater = await draft(b);
      await refusedWithoutWrites(h, () => b.post(`/api/v1/applications/${bLater}/attachments/reuse`, { attachmentId: file.id }), 404, 'ATTACHMENT_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.post(`/api/v1/applications/${later}/attachments/reuse`, { attachmentId: file.id }), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${later}/attachments/reuse`, { attachmentId: UNKNOWN_ID }), 404, 'ATTACHMENT_NOT_FOUND');
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${later}/attachments/reuse`, { attachmentId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${later}/attachments/reuse`, { attachmentId: file.id, data: 'x' }), 400, 'VALIDATION_FAILED');
      // Into a submitted application: not editable.
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${earlier}/attachments/reuse`, { attachmentId: file.id }), 409, 'ATTACHMENT_NOT_EDITABLE');
    });

    it('applies the target procedure’s rules to a reused file: type and size', async () => {
      const earlier = await draft();
      const png = (await a.upload(earlier, PNG, 'scan.png').expect(201)).body;
      const big = (await a.upload(earlier, pdf('reuse-big', 4096), 'big.pdf').expect(201)).body;
      const small = await draft(a, SMALL_ATTACHMENTS_CERTIFICATE);
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${small}/attachments/reuse`, { attachmentId: png.id }), 415, 'ATTACHMENT_TYPE_NOT_ACCEPTED');
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${small}/attachments/reuse`, { attachmentId: big.id }), 413, 'ATTACHMENT_TOO_LARGE');
    });

    it('removes a file from a draft (204); a file another application holds stays for reuse, one nobody holds is deleted (it counts against MAX_ATTACHMENT_BYTES_PER_RESIDENT)', async () => {
      const id = await draft();
      const other = await draft();
      const bytes = pdf();
      const file = (await a.upload(id, bytes, 'remove-me.pdf').expect(201)).body;
      await a.upload(other, bytes, 'remove-me.pdf').expect(201);
      const before = await rowCounts(h.t);
      await a.delete(`/api/v1/applications/${id}/attachments/${file.id}`).expect(204);
      expect(await rowCounts(h.t)).toMatchObject({ attachments: before.attachments, links: before.links - 1 });
      await refusedWithoutWrites(h, () => a.delete(`/api/v1/applications/${id}/attachments/${file.id}`), 404, 'ATTACHMENT_NOT_FOUND');
      expect((await a.get('/api/v1/attachments').expect(200)).body.map((item: { id: string }) => item.id)).toContain(file.id);
      await a.delete(`/api/v1/applications/${other}/attachments/${file.id}`).expect(204);
      expect(await rowCounts(h.t)).toMatchObject({ attachments: before.attachments - 1, links: before.links - 2 });
      expect((await a.get('/api/v1/attachments').expect(200)).body.map((item: { id: string }) => item.id)).not.toContain(file.id);
    });
  });

  describe('staff download', () => {
    it('lets a clerk of 市民課 download a submitted application’s file, audited with the attachment id; a clerk of another department gets 404', async () => {
      const id = await draft();
      const bytes = pdf('staff');
      const file = (await a.upload(id, bytes, 'evidence.pdf').expect(201)).body;
      const staffUrl = `/api/v1/staff/applications/${id}/attachments/${file.id}`;
      // A draft is not the department's business yet.
      await refusedWithoutWrites(h, () => client(h.server, shiminClerk.token).get(staffUrl), 404, 'APPLICATION_NOT_FOUND');
      await a.post(`/api/v1/applications/${id}/submit`, {}).expect(200);

      const response = await client(h.server, shiminClerk.token).download(staffUrl).expect(200);
      expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''evidence.pdf`);
      expect(await auditReads(id)).toEqual([{ actor_id: shiminClerk.id, details: { fields: ['attachment'], attachmentId: file.id, subject: expect.any(String), department: 'shimin', read: 'attachment' } }]);

      await refusedWithoutWrites(h, () => client(h.server, zeimuClerk.token).get(staffUrl), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => client(h.server, shiminClerk.token).get(`/api/v1/staff/applications/${id}/attachments/${UNKNOWN_ID}`), 404, 'ATTACHMENT_NOT_FOUND');
      // A resident token on the staff route is refused.
      expect((await a.get(staffUrl)).status).toBe(403);
      expect(await auditReads(id)).toHaveLength(1);
    });
  });
});
