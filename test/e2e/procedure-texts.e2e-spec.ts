import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DefinitionLoadError } from '@madoguchi/workflow';
import request from 'supertest';
import { CatalogSyncService } from '@madoguchi/procedures';
import { CONFIG_DIR, createTestApp, sampleSettings, type TestApp } from '../support/test-app';

/** The texts as the public catalog serves them, loaded at boot by the catalog sync. */
describe('procedure texts in the public catalog (real PostgreSQL)', () => {
  let t: TestApp;
  let server: Server;

  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.getHttpServer();
  });
  afterAll(() => t.close());

  it('adds the texts of ?lang= to the listing, and nothing without it', async () => {
    const plain = await request(server).get('/api/v1/procedures').expect(200);
    expect(plain.body.every((summary: Record<string, unknown>) => !('text' in summary))).toBe(true);

    const easy = await request(server).get('/api/v1/procedures').query({ lang: 'ja-easy', q: 'juminhyo' }).expect(200);
    expect(easy.body).toHaveLength(1);
    expect(easy.body[0].name).toEqual({ ja: '住民票の写しの交付請求', en: 'Request for a certificate of residence' });
    expect(easy.body[0].text).toMatchObject({ language: 'ja-easy', name: '住民票の写しを もらう' });
    expect(easy.body[0].text.eligibility).not.toBe('');
  });

  it('finds a procedure by its name in the requested language', async () => {
    const found = await request(server).get('/api/v1/procedures').query({ lang: 'ja-easy', q: '住民票の写しを もらう' }).expect(200);
    expect(found.body.map((summary: { code: string }) => summary.code)).toEqual(['juminhyo']);
    const notAsked = await request(server).get('/api/v1/procedures').query({ q: '住民票の写しを もらう' }).expect(200);
    expect(notAsked.body).toEqual([]);
  });

  it('gives one procedure with field labels and choice labels, keeping the stored values', async () => {
    const response = await request(server).get('/api/v1/procedures/kosodate-01').query({ lang: 'en' }).expect(200);
    const { text } = response.body;
    expect(text.language).toBe('en');
    expect(text.documentName).toBe('Notice of child allowance certification');
    expect(text.fields['bankAccount.accountType']).toEqual({
      title: 'Account type',
      choices: [
        { value: '普通', label: 'Ordinary (savings)' },
        { value: '当座', label: 'Current (checking)' },
      ],
    });
    expect(text.fields['children.relationship'].choices.map((choice: { value: string }) => choice.value)).toEqual(['子', '孫', '弟妹', 'その他']);
    expect(response.body.formSchema.properties.pensionType.enum).toEqual(['厚生年金', '国民年金', '共済組合', 'その他']);
  });

  it('refuses a language it does not know, with the usual error shape', async () => {
    const response = await request(server).get('/api/v1/procedures/juminhyo').query({ lang: 'fr' }).expect(400);
    expect(response.body.message).toEqual({ ja: expect.any(String), en: expect.any(String) });
    await request(server).get('/api/v1/procedures').query({ lang: 'JA' }).expect(400);
  });

  it('fails the boot sync on a texts file that names a field no version has, and keeps the loaded texts', async () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-texts-config-'));
    try {
      symlinkSync(path.join(CONFIG_DIR, 'procedures'), path.join(configDir, 'procedures'));
      mkdirSync(path.join(configDir, 'procedure-texts'));
      writeFileSync(path.join(configDir, 'procedure-texts', 'juminhyo.yaml'), 'code: juminhyo\nen:\n  fields:\n    address.postalCode: { title: Postal code }\n');
      let thrown: unknown;
      try {
        await t.get(CatalogSyncService).sync(configDir, sampleSettings());
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DefinitionLoadError);
      expect((thrown as Error).message).toContain(
        `${path.join(configDir, 'procedure-texts', 'juminhyo.yaml')} /en/fields/address.postalCode: no version of "juminhyo" has a field "address.postalCode"`,
      );
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
    const juminhyo = await request(server).get('/api/v1/procedures/juminhyo').query({ lang: 'ja-easy' }).expect(200);
    expect(juminhyo.body.text.name).toBe('住民票の写しを もらう');
  });
});
