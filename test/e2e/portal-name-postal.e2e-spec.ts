import request from 'supertest';
import { BundledPostalCodeDirectory, PostalCodeDirectory, type ZipcodeLookupModule } from '../../apps/portal/src/postal-code/postal-code-directory';
import { IdentityDriver, PASSWORD } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox, tokenFromLink } from '../support/test-mailbox';

/**
 * The resident's name (issue 11, portalflow item 1) and the postal-code
 * lookup (item 2) over HTTP: registration asks for 氏名 and フリガナ
 * (hiragana read as katakana), refuses a missing or non-katakana reading
 * with the summary linking to the field, shows both on the account page,
 * puts them into the applicant-name fields of a new application, keeps
 * them out of a closed account; the API takes them too. The lookup answers
 * a signed-in resident from the installed data, the form names it beside
 * a postal code only when data is installed, and never 500s on bad input.
 */

jest.setTimeout(120_000);

const SESSION = 'madoguchi_session';
const NAME = { name: '窓口 太郎', nameKana: 'まどぐち たろう' };

let t: TestApp;
let mailbox: TestMailbox;
let identity: IdentityDriver;

beforeAll(async () => {
  mailbox = await TestMailbox.start();
  t = await createTestApp({ portal: true, env: { SMTP_URL: mailbox.url } });
  identity = new IdentityDriver(t, mailbox);
});

afterAll(async () => {
  await t?.close();
  await mailbox?.close();
});

const http = () => request(t.app.getHttpServer());
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const summaryLinks = (html: string) => [...html.matchAll(/<a href="(#[^"]+)"/g)].map((match) => match[1]);

function sessionOf(response: request.Response): string {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const found = cookies.find((cookie) => cookie.startsWith(`${SESSION}=`) && !cookie.startsWith(`${SESSION}=;`));
  if (!found) throw new Error(`no session cookie (status ${response.status})`);
  return found.split(';')[0].slice(SESSION.length + 1);
}

/** Registers through the page, follows the mailed link, signs in through the page; returns the session cookie. */
async function registerThroughPages(email: string, name: Record<string, string> = NAME): Promise<string> {
  const registered = await http().post('/account/register').type('form').send({ ...name, email, password: PASSWORD }).expect(303);
  expect(registered.headers.location).toBe('/account/register/sent');
  await identity.deliverMail();
  const token = tokenFromLink(mailbox.take(email), 'verify-email');
  await http().post('/verify-email').type('form').send({ token, m: '990001' }).expect(303);
  return sessionOf(await http().post('/account/sign-in').type('form').send({ email, password: PASSWORD }).expect(303));
}

describe('the name at registration', () => {
  it('asks for the name and its reading: missing, too long or not katakana come back with the summary linking to the field', async () => {
    const empty = await http().post('/account/register').type('form').send({ email: 'nameless@example.jp', password: PASSWORD }).expect(400);
    expect(summaryLinks(empty.text).slice(0, 2)).toEqual(['#name', '#nameKana']);
    expect(empty.text).toContain('id="name-error"');
    expect(empty.text).toContain('氏名を入力してください');
    // What was typed comes back.
    expect(empty.text).toContain('value="nameless@example.jp"');

    const latin = await http().post('/account/register').type('form').send({ name: '窓口 太郎', nameKana: 'Madoguchi Taro', email: 'latin@example.jp', password: PASSWORD }).expect(400);
    expect(summaryLinks(latin.text)[0]).toBe('#nameKana');
    expect(latin.text).toContain('フリガナはカタカナで入力してください');
    expect(latin.text).toContain('value="窓口 太郎"');

    const long = await http().post('/account/register').type('form').set('Cookie', 'lang=en').send({ name: 'あ'.repeat(51), nameKana: 'ア', email: 'long@example.jp', password: PASSWORD }).expect(400);
    expect(long.text).toContain('Your name must be 50 characters or fewer');
    const easy = await http().post('/account/register').type('form').set('Cookie', 'lang=ja-easy').send({ email: 'easy@example.jp', password: PASSWORD }).expect(400);
    expect(easy.text).toContain('名前（なまえ）を 書（か）いて ください');

    const rows = await t.dataSource.query(`SELECT 1 FROM residents WHERE email IN ('nameless@example.jp', 'latin@example.jp', 'long@example.jp', 'easy@example.jp')`);
    expect(rows).toEqual([]);
  });

  it('keeps the name and the reading (hiragana read as katakana) and shows them on the account page', async () => {
    const cookie = await registerThroughPages('named@example.jp');
    const [row] = await t.dataSource.query(`SELECT name, name_kana FROM residents WHERE email = 'named@example.jp'`);
    expect(row).toEqual({ name: '窓口 太郎', name_kana: 'マドグチ タロウ' });

    const account = await http().get('/account').set('Cookie', `${SESSION}=${cookie}`).expect(200);
    expect(account.text).toContain('窓口 太郎');
    expect(account.text).toContain('マドグチ タロウ');
    const me = await http().get('/api/v1/auth/me').set('Cookie', `${SESSION}=${cookie}`).expect(200);
    expect(me.body).toMatchObject({ name: '窓口 太郎', nameKana: 'マドグチ タロウ' });
  });

  it('fills the applicant-name fields of a new application with it, and a form without them gets nothing', async () => {
    const cookie = await registerThroughPages('prefill@example.jp', { name: '窓口 花子', nameKana: 'マドグチ ハナコ' });
    const start = async (code: string): Promise<string> => {
      const page = await http().get(`/apply/${code}`).set('Cookie', `${SESSION}=${cookie}`).expect(200);
      const created = await http().post(`/apply/${code}`).set('Cookie', `${SESSION}=${cookie}`).type('form').send({ _csrf: csrfOf(page.text), _token: `token-${code}` }).expect(303);
      return /^\/applications\/([0-9a-f-]{36})\/form\/1$/.exec(created.headers.location)![1];
    };
    const notice = await start('kosodate-13');
    const form = await http().get(`/applications/${notice}/form/1`).set('Cookie', `${SESSION}=${cookie}`).expect(200);
    expect(form.text).toMatch(/id="applicantName"[^>]*value="窓口 花子"|value="窓口 花子"[^>]*id="applicantName"/);
    expect(form.text).toMatch(/id="applicantKana"[^>]*value="マドグチ ハナコ"|value="マドグチ ハナコ"[^>]*id="applicantKana"/);

    const certificate = await start('juminhyo');
    const [row] = await t.dataSource.query(`SELECT form_data FROM applications WHERE id = $1`, [certificate]);
    expect(row.form_data).toEqual({});
  });

  it('the API takes the name too (optional), refuses a reading not in katakana, and a closed account keeps neither', async () => {
    await http().post('/api/v1/auth/residents/register').set('X-Municipality-Id', '990001').send({ email: 'api-bad@example.jp', password: PASSWORD, name: '窓口 次郎', nameKana: 'jiro' }).expect(400);
    await http().post('/api/v1/auth/residents/register').set('X-Municipality-Id', '990001').send({ email: 'api@example.jp', password: PASSWORD, name: '窓口 次郎', nameKana: 'マドグチ ジロウ' }).expect(202);
    await identity.deliverMail();
    const token = tokenFromLink(mailbox.take('api@example.jp'), 'verify-email');
    await http().post('/api/v1/auth/residents/verify-email').set('X-Municipality-Id', '990001').send({ token }).expect(204);
    const { accessToken } = await identity.residentTokens('api@example.jp');
    const me = await http().get('/api/v1/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(me.body).toMatchObject({ name: '窓口 次郎', nameKana: 'マドグチ ジロウ' });

    await http().delete('/api/v1/auth/residents/me').auth(accessToken, { type: 'bearer' }).send({ password: PASSWORD }).expect(204);
    const [closed] = await t.dataSource.query(`SELECT name, name_kana, closed_at FROM residents WHERE id = $1`, [me.body.id]);
    expect(closed).toEqual({ name: null, name_kana: null, closed_at: expect.any(Date) });
  });
});

/** A stand-in for the postal-code package's data: two codes. */
const FAKE_DATA: ZipcodeLookupModule = {
  Oaza: {
    byZipcode: (zipcode: string) =>
      zipcode === '1040061'
        ? [{ name: '銀座', pref: { name: '東京都' }, city: { name: '中央区' } }]
        : zipcode === '9990000'
          ? [{ name: '以下に掲載がない場合', pref: { name: '山形県' }, city: { name: '桜ヶ丘市' } }]
          : [],
  },
};

describe('postal code → address', () => {
  let cookie: string;
  let directory: PostalCodeDirectory;
  const installed = new BundledPostalCodeDirectory(FAKE_DATA);

  beforeAll(async () => {
    cookie = await registerThroughPages('postal@example.jp');
    directory = t.app.get<PostalCodeDirectory>(PostalCodeDirectory);
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads the bundled data: prefecture, city and town joined; "the rest of the city" gives no town; unknown and malformed codes give nothing', () => {
    expect(installed.available).toBe(true);
    expect(installed.lookup('1040061')).toEqual({ prefecture: '東京都', city: '中央区', town: '銀座', address: '東京都中央区銀座' });
    expect(installed.lookup('9990000')).toEqual({ prefecture: '山形県', city: '桜ヶ丘市', town: '', address: '山形県桜ヶ丘市' });
    expect(installed.lookup('0000000')).toBeNull();
    expect(installed.lookup('104-0061')).toBeNull();
    const missing = new BundledPostalCodeDirectory(null);
    expect(missing.available).toBe(false);
    expect(missing.lookup('1040061')).toBeNull();
  });

  it('answers a signed-in resident as JSON, a hyphen allowed; an unknown code is found: false, a malformed one 404, an anonymous visitor is sent to sign in', async () => {
    jest.spyOn(directory, 'lookup').mockImplementation((digits) => installed.lookup(digits));
    const found = await http().get('/postal-codes/104-0061').set('Cookie', `${SESSION}=${cookie}`).expect(200);
    expect(found.headers['content-type']).toContain('application/json');
    expect(found.body).toEqual({ postalCode: '1040061', found: true, address: '東京都中央区銀座', prefecture: '東京都', city: '中央区', town: '銀座' });
    const unknown = await http().get('/postal-codes/0000000').set('Cookie', `${SESSION}=${cookie}`).expect(200);
    expect(unknown.body).toMatchObject({ found: false, address: null });
    for (const bad of ['123', '12345678', 'abcdefg', '%E3%80%92']) {
      await http().get(`/postal-codes/${bad}`).set('Cookie', `${SESSION}=${cookie}`).expect(404);
    }
    const anonymous = await http().get('/postal-codes/1040061').expect(303);
    expect(anonymous.headers.location).toBe('/account/sign-in?next=%2Fpostal-codes%2F1040061');
  });

  it('the form names the lookup and the address field beside a postal code only when data is installed', async () => {
    const page = await http().get('/apply/tennyu-01').set('Cookie', `${SESSION}=${cookie}`).expect(200);
    const created = await http().post('/apply/tennyu-01').set('Cookie', `${SESSION}=${cookie}`).type('form').send({ _csrf: csrfOf(page.text), _token: 'tennyu-postal' }).expect(303);
    const id = /\/applications\/([0-9a-f-]{36})\//.exec(created.headers.location)![1];
    const sectionWithPostalCode = async (): Promise<string> => {
      for (let number = 1; number <= 5; number += 1) {
        const section = await http().get(`/applications/${id}/form/${number}`).set('Cookie', `${SESSION}=${cookie}`);
        if (section.text.includes('data-mg-postal-code="newPostalCode"')) return section.text;
      }
      throw new Error('no section with the postal code');
    };
    // This build ships no postal data package unless it is installed: then no lookup is named.
    const original = directory.available;
    if (!original) expect(await sectionWithPostalCode()).not.toContain('data-mg-postal-lookup');
    Object.defineProperty(directory, 'available', { value: true, configurable: true });
    try {
      const html = await sectionWithPostalCode();
      expect(html).toContain('data-mg-postal-lookup="/postal-codes/"');
      expect(html).toContain('data-mg-address-target="newAddress"');
      expect(html).toContain('id="newAddress"');
    } finally {
      Object.defineProperty(directory, 'available', { value: original, configurable: true });
    }
  });
});
