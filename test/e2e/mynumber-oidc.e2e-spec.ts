import { SimulatedCardStore, SIMULATED_CARD_PIN, SIMULATED_CARD_SIGNING_PASSWORD, StaffAdminService, type SimulatedCard } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * My Number Card in the browser, end to end over real HTTP: the portal
 * (relying party, openid-client) and the simulated digital authentication
 * service (oidc-provider) in one listening app, driven like a browser: a
 * cookie jar, redirects followed by hand, the hosted forms posted. No mocks.
 */

jest.setTimeout(120_000);

const PASSWORD = 'correct-horse-battery-staple';
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };

interface Cookie {
  name: string;
  value: string;
  path: string;
}

interface Page {
  status: number;
  url: URL;
  location: string | null;
  body: string;
}

/** Enough of a browser: cookies by path, manual redirects, form posts. */
class Browser {
  private cookies: Cookie[] = [];

  constructor(private readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.find((cookie) => cookie.name === name)?.value;
  }

  setCookie(name: string, value: string, cookiePath = '/'): void {
    this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.path === cookiePath));
    this.cookies.push({ name, value, path: cookiePath });
  }

  async request(method: 'GET' | 'POST', target: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const url = new URL(target, this.base);
    const cookieHeader = this.cookies
      .filter((cookie) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return { status: response.status, url, location: response.headers.get('location'), body: await response.text() };
  }

  /** Follows redirects from `page` until one answers with content, or until `stopAt` (a path) is about to be requested. */
  async follow(page: Page, stopAt?: string): Promise<Page> {
    let current = page;
    for (let hop = 0; hop < 10 && current.location; hop += 1) {
      const next = new URL(current.location, current.url);
      if (stopAt && next.pathname === stopAt) return current;
      current = await this.request('GET', next.href);
    }
    return current;
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const index = pair.indexOf('=');
    const name = pair.slice(0, index);
    const value = pair.slice(index + 1);
    const pathAttribute = attributes.find((attribute) => attribute.toLowerCase().startsWith('path='));
    const cookiePath = pathAttribute ? pathAttribute.slice(5) : '/';
    const expired = attributes.some((attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now()) || attributes.some((attribute) => /^max-age=0$/i.test(attribute));
    this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.path === cookiePath));
    if (!expired && value !== '') this.cookies.push({ name, value, path: cookiePath });
  }
}

describe('My Number Card in the browser (OpenID Connect)', () => {
  let t: TestApp;
  let base: string;
  let dataDir: string;
  let cards: readonly SimulatedCard[];
  const card = (status: SimulatedCard['status'], index = 0): SimulatedCard => cards.filter((item) => item.status === status)[index];

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-oidc-'));
    t = await createTestApp({ env: { PUBLIC_BASE_URL: base, DATA_DIR: dataDir } });
    await t.app.listen(port, '127.0.0.1');
    cards = (await t.get(SimulatedCardStore).state()).cards;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The card picker page of a sign-in (or of a signing) the browser has just started. */
  async function openPicker(browser: Browser, start: Page): Promise<Page> {
    expect(start.status).toBe(303);
    const picker = await browser.follow(start);
    expect(picker.status).toBe(200);
    expect(picker.url.pathname).toMatch(/^\/simulated-digital-auth\/interaction\//);
    return picker;
  }

  /** Posts the picker and follows back to (but not into) the portal's callback; returns the callback URL. */
  async function choose(browser: Browser, picker: Page, chosen: SimulatedCard, secret: string): Promise<string> {
    const posted = await browser.request('POST', picker.url.href, { card: chosen.id, secret, action: 'submit' });
    expect(posted.status).toBe(303);
    const beforeCallback = await browser.follow(posted, '/mynumber/callback');
    const callback = new URL(beforeCallback.location!, beforeCallback.url);
    expect(callback.pathname).toBe('/mynumber/callback');
    // The state names the municipality: the round trip is found by (municipality, state hash).
    expect(callback.searchParams.get('state')).toMatch(new RegExp(`^${SAMPLE_MUNICIPALITY}\\.[A-Za-z0-9_-]{43}$`));
    return callback.href;
  }

  async function signInWithCard(browser: Browser, chosen: SimulatedCard, pin = SIMULATED_CARD_PIN): Promise<Page> {
    const picker = await openPicker(browser, await browser.request('GET', '/mynumber/login'));
    return browser.request('GET', await choose(browser, picker, chosen, pin));
  }

  async function me(browser: Browser): Promise<{ status: number; body: Record<string, unknown> }> {
    const page = await browser.request('GET', '/api/v1/auth/me');
    return { status: page.status, body: page.status === 200 ? JSON.parse(page.body) : {} };
  }

  const residentCount = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM residents`))[0].n;

  describe('sign-in', () => {
    it('creates test cards of people in the sample registry, with a revoked one and one from an untrusted CA', () => {
      expect(cards.map((item) => item.basic4.name)).toEqual(expect.arrayContaining(['窓口 太郎', '窓口 花子']));
      expect(card('valid', 0).basic4).toEqual({ name: '窓口 太郎', address: '桜ヶ丘市本町一丁目2番3号', dateOfBirth: '1980-05-15', sex: 'male' });
      expect(card('revoked')).toBeDefined();
      expect(card('untrustedCa')).toBeDefined();
    });

    it('signs a resident in with the card and PIN through the authorization code flow with PKCE, linking the account to the card', async () => {
      const browser = new Browser(base);
      const start = await browser.request('GET', '/mynumber/login');
      // Pushed authorization request: the browser sees only a request_uri, never the PKCE challenge or nonce.
      const authorize = new URL(start.location!);
      expect(authorize.pathname).toBe('/simulated-digital-auth/auth');
      expect([...authorize.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      const picker = await openPicker(browser, start);
      expect(picker.body).toContain('窓口 太郎');
      expect(picker.body).toContain('name address birthdate gender'.split(' ').join(', '));
      const before = await residentCount();

      const callback = await browser.request('GET', await choose(browser, picker, card('valid', 0), SIMULATED_CARD_PIN));
      expect(callback.status).toBe(303);
      expect(callback.location).toBe('/');
      expect(browser.cookie('madoguchi_session')).toBeDefined();
      const who = await me(browser);
      expect(who.body).toMatchObject({ kind: 'resident', myNumberCardLinked: true, authMethod: 'jpki' });
      expect(await residentCount()).toBe(before + 1);

      // The same card again is the same resident.
      const again = new Browser(base);
      await signInWithCard(again, card('valid', 0));
      expect((await me(again)).body.id).toBe(who.body.id);
      expect(await residentCount()).toBe(before + 1);
    });

    it('locks the card after three wrong PINs, like a real card', async () => {
      const browser = new Browser(base);
      const chosen = card('valid', 2);
      const picker = await openPicker(browser, await browser.request('GET', '/mynumber/login'));
      const wrong = async () => browser.request('POST', picker.url.href, { card: chosen.id, secret: '9999', action: 'submit' });
      const first = await wrong();
      expect(first.status).toBe(400);
      expect(first.body).toContain('残り 2 回');
      expect((await wrong()).status).toBe(400);
      const third = await wrong();
      expect(third.status).toBe(423);
      expect(third.body).toContain('ロックされています');
      // The right PIN no longer helps, in this sign-in or a new one.
      expect((await browser.request('POST', picker.url.href, { card: chosen.id, secret: SIMULATED_CARD_PIN, action: 'submit' })).status).toBe(423);
      const other = new Browser(base);
      const picker2 = await openPicker(other, await other.request('GET', '/mynumber/login'));
      expect((await other.request('POST', picker2.url.href, { card: chosen.id, secret: SIMULATED_CARD_PIN, action: 'submit' })).status).toBe(423);
      // Another card is unaffected.
      expect((await signInWithCard(new Browser(base), card('valid', 1))).status).toBe(303);
    });

    it('refuses a tampered state, and a callback in a browser that did not start the sign-in', async () => {
      const browser = new Browser(base);
      const callback = new URL(await choose(browser, await openPicker(browser, await browser.request('GET', '/mynumber/login')), card('valid', 0), SIMULATED_CARD_PIN));
      const binding = browser.cookie('madoguchi_mynumber')!;
      const before = await residentCount();

      // Login CSRF: the genuine callback in a browser that did not start it.
      const elsewhere = await new Browser(base).request('GET', callback.href);
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body).toContain('MYNUMBER_OIDC_TRANSACTION_INVALID');

      const tamperedState = new URL(callback);
      tamperedState.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      const refusedState = await browser.request('GET', tamperedState.href);
      expect(refusedState.status).toBe(400);
      expect(refusedState.body).toContain('MYNUMBER_OIDC_TRANSACTION_INVALID');
      // The same random part under another municipality, or under none, is no round trip
      // either, even in the browser that holds the binding.
      const random = callback.searchParams.get('state')!.split('.')[1];
      for (const state of [`999999.${random}`, random]) {
        browser.setCookie('madoguchi_mynumber', binding, '/mynumber');
        const elsewhereState = new URL(callback);
        elsewhereState.searchParams.set('state', state);
        const refused = await browser.request('GET', elsewhereState.href);
        expect(refused.status).toBe(400);
        expect(refused.body).toContain('MYNUMBER_OIDC_TRANSACTION_INVALID');
      }
      // A refused callback ends the attempt in this browser (its binding cookie is cleared).
      expect((await browser.request('GET', callback.href)).status).toBe(400);
      expect(browser.cookie('madoguchi_session')).toBeUndefined();
      expect(await residentCount()).toBe(before);
    });

    it('refuses a tampered code, and the genuine callback after it (a transaction is spent once)', async () => {
      const browser = new Browser(base);
      const callback = new URL(await choose(browser, await openPicker(browser, await browser.request('GET', '/mynumber/login')), card('valid', 0), SIMULATED_CARD_PIN));
      const binding = browser.cookie('madoguchi_mynumber')!;
      const tamperedCode = new URL(callback);
      tamperedCode.searchParams.set('code', `${callback.searchParams.get('code')}x`);
      const refusedCode = await browser.request('GET', tamperedCode.href);
      expect(refusedCode.status).toBe(400);
      expect(refusedCode.body).toContain('MYNUMBER_OIDC_RESPONSE_INVALID');
      // Even with the binding cookie put back, the genuine callback is a replay now.
      browser.setCookie('madoguchi_mynumber', binding, '/mynumber');
      const replay = await browser.request('GET', callback.href);
      expect(replay.status).toBe(400);
      expect(replay.body).toContain('MYNUMBER_OIDC_TRANSACTION_INVALID');
      expect(browser.cookie('madoguchi_session')).toBeUndefined();
    });

    it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
      const browser = new Browser(base);
      const picker = await openPicker(browser, await browser.request('GET', '/mynumber/login'));
      const callback = await choose(browser, picker, card('valid', 0), SIMULATED_CARD_PIN);
      // As if the response belonged to another request: the nonce we expect differs.
      await t.dataSource.query(`UPDATE mynumber_oidc_transactions SET nonce = 'another-nonce' WHERE used_at IS NULL`);
      const refused = await browser.request('GET', callback);
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('MYNUMBER_OIDC_RESPONSE_INVALID');
      expect(browser.cookie('madoguchi_session')).toBeUndefined();
    });

    it('refuses an authorization request without PKCE S256 or outside a pushed request', async () => {
      const { clientSecret } = await t.get(SimulatedCardStore).state();
      const basic = `Basic ${Buffer.from(`madoguchi-portal:${clientSecret}`).toString('base64')}`;
      const par = (params: Record<string, string>) =>
        fetch(`${base}/simulated-digital-auth/request`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: 'madoguchi-portal', response_type: 'code', scope: 'openid', redirect_uri: `${base}/mynumber/callback`, nonce: 'n'.repeat(43), ...params }).toString(),
        });
      const withoutPkce = await par({});
      expect(withoutPkce.status).toBe(400);
      expect(await withoutPkce.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/PKCE/) });
      const plain = await par({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
      expect(plain.status).toBe(400);
      const accepted = await par({ code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
      expect(accepted.status).toBe(201);
      // Straight to the authorization endpoint, without PAR: refused.
      const direct = await fetch(
        `${base}/simulated-digital-auth/auth?${new URLSearchParams({ client_id: 'madoguchi-portal', response_type: 'code', scope: 'openid', redirect_uri: `${base}/mynumber/callback`, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', nonce: 'n'.repeat(43) })}`,
        { redirect: 'manual' },
      );
      expect(direct.status).toBe(303);
      expect(new URL(direct.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    });

    it.each([
      ['revoked' as const, 'JPKI_CERTIFICATE_REVOKED'],
      ['untrustedCa' as const, 'JPKI_UNTRUSTED_ISSUER'],
    ])('refuses a %s card with our JPKI verifier although the service signed with it', async (status, code) => {
      const before = await residentCount();
      const browser = new Browser(base);
      const refused = await signInWithCard(browser, card(status));
      expect(refused.status).toBe(401);
      expect(refused.body).toContain(code);
      expect(browser.cookie('madoguchi_session')).toBeUndefined();
      expect(await residentCount()).toBe(before);
    });
  });

  describe('signing an application', () => {
    /** A resident signed in through the API's card login as a cookie session, with its CSRF token. */
    async function residentSession(browser: Browser, chosen: SimulatedCard): Promise<string> {
      const { nonce } = JSON.parse((await browser.request('POST', '/api/v1/auth/jpki/nonce')).body);
      const proof = t.get(SimulatedCardStore).signNonce(chosen, nonce);
      const response = await fetch(`${base}/api/v1/auth/jpki/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nonce, signature: proof.signature, certificateChain: proof.certificateChain, transport: 'cookie' }),
      });
      expect(response.status).toBe(200);
      const session = response.headers.getSetCookie().find((line) => line.startsWith('madoguchi_session='))!;
      browser.setCookie('madoguchi_session', session.split(';')[0].split('=')[1]);
      return ((await response.json()) as { csrfToken: string }).csrfToken;
    }

    async function draft(browser: Browser, csrf: string): Promise<string> {
      const response = await fetch(`${base}/api/v1/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `madoguchi_session=${browser.cookie('madoguchi_session')}` },
        body: JSON.stringify({ procedureCode: 'juminhyo', formData: JUMINHYO_FORM }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    }

    async function clerkToken(): Promise<string> {
      await t.get(StaffAdminService).create(asMunicipalityId(SAMPLE_MUNICIPALITY), 'test-setup', {
        loginId: 'shimin-clerk',
        password: PASSWORD,
        displayName: 'shimin-clerk',
        roles: ['clerk'],
        approvalLevel: null,
        departments: ['shimin'],
        active: true,
      });
      const response = await fetch(`${base}/api/v1/auth/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'shimin-clerk', password: PASSWORD }) });
      return ((await response.json()) as { accessToken: string }).accessToken;
    }

    const signatureHash = async (id: string): Promise<string | null> =>
      (await t.dataSource.query(`SELECT signature_hash FROM applications WHERE id = $1`, [id]))[0].signature_hash;

    it('signs the content hash with the signing password and stores a signature staff verify', async () => {
      const browser = new Browser(base);
      const signer = card('valid', 0);
      const csrf = await residentSession(browser, signer);
      const id = await draft(browser, csrf);
      const content = JSON.parse((await browser.request('GET', `/api/v1/applications/${id}/signing-content`)).body) as { contentHash: string };

      // A plain form post needs the CSRF token as a field.
      expect((await browser.request('POST', `/applications/${id}/sign/mynumber`, {})).status).toBe(403);
      const start = await browser.request('POST', `/applications/${id}/sign/mynumber`, { _csrf: csrf });
      const picker = await openPicker(browser, start);
      expect(picker.body).toContain(content.contentHash);
      expect(picker.body).toContain('署名用電子証明書のパスワード');
      const wrong = await browser.request('POST', picker.url.href, { card: signer.id, secret: SIMULATED_CARD_PIN, action: 'submit' });
      expect(wrong.status).toBe(400);
      const callback = await browser.request('GET', await choose(browser, picker, signer, SIMULATED_CARD_SIGNING_PASSWORD));
      expect(callback.status).toBe(303);
      expect(callback.location).toBe(`/applications/${id}/check`);
      expect(await signatureHash(id)).toBe(content.contentHash);
      // The stored signature is what submission requires.
      const submitted = await fetch(`${base}/api/v1/applications/${id}/submit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `madoguchi_session=${browser.cookie('madoguchi_session')}` },
        body: '{}',
      });
      expect(submitted.status).toBe(200);

      const clerk = await clerkToken();
      const verified = await fetch(`${base}/api/v1/staff/applications/${id}/signature`, { headers: { authorization: `Bearer ${clerk}` } });
      expect(verified.status).toBe(200);
      expect(await verified.json()).toMatchObject({ valid: true, contentHash: content.contentHash, basic4: signer.basic4 });
    });

    it('refuses a signature over other content: the form changed while the card was signing', async () => {
      const browser = new Browser(base);
      const signer = card('valid', 1);
      const csrf = await residentSession(browser, signer);
      const id = await draft(browser, csrf);
      const picker = await openPicker(browser, await browser.request('POST', `/applications/${id}/sign/mynumber`, { _csrf: csrf }));
      const changed = await fetch(`${base}/api/v1/applications/${id}/form`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `madoguchi_session=${browser.cookie('madoguchi_session')}` },
        body: JSON.stringify({ formData: { ...JUMINHYO_FORM, copies: 2 }, revision: 1 }),
      });
      expect(changed.status).toBe(200);
      const refused = await browser.request('GET', await choose(browser, picker, signer, SIMULATED_CARD_SIGNING_PASSWORD));
      expect(refused.status).toBe(422);
      expect(refused.body).toContain('JPKI_SIGNATURE_INVALID');
      expect(await signatureHash(id)).toBeNull();
    });

    it('refuses to start signing someone else\'s application', async () => {
      const owner = new Browser(base);
      const id = await draft(owner, await residentSession(owner, card('valid', 0)));
      const other = new Browser(base);
      const csrf = await residentSession(other, card('valid', 1));
      const refused = await other.request('POST', `/applications/${id}/sign/mynumber`, { _csrf: csrf });
      expect(refused.status).toBe(404);
    });
  });
});
