import { PassThrough } from 'node:stream';
import request from 'supertest';
import { IdentityDriver, PASSWORD } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox, tokenFromLink } from '../support/test-mailbox';

/**
 * The resident account pages over HTTP (issue 11): sign-in rotates the
 * session, `next` stays on this site, the throttle shows its wait, the
 * mailed links land on pages that use the token only on a POST and never
 * log it, and signing out everywhere ends every session. The browser file
 * (test/browser/account.page.e2e-spec.ts) walks the same pages in chromium.
 */

jest.setTimeout(120_000);

let t: TestApp;
let mailbox: TestMailbox;
let identity: IdentityDriver;
const log: string[] = [];

beforeAll(async () => {
  mailbox = await TestMailbox.start();
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
  t = await createTestApp({ portal: true, env: { SMTP_URL: mailbox.url }, logStream });
  identity = new IdentityDriver(t, mailbox);
});

afterAll(async () => {
  await t?.close();
  await mailbox?.close();
});

const http = () => request(t.app.getHttpServer());
const SESSION = 'madoguchi_session';
const NAME = { name: '窓口 太郎', nameKana: 'マドグチ タロウ' };

function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const found = cookies.find((cookie) => cookie.startsWith(`${SESSION}=`) && !cookie.startsWith(`${SESSION}=;`));
  return found?.split(';')[0].slice(SESSION.length + 1);
}

function signIn(email: string, password = PASSWORD, extra: Record<string, string> = {}, cookie?: string): request.Test {
  const test = http().post('/account/sign-in').type('form').send({ email, password, ...extra });
  return cookie ? test.set('Cookie', `${SESSION}=${cookie}`) : test;
}

const me = (cookie: string) => http().get('/api/v1/auth/me').set('Cookie', `${SESSION}=${cookie}`);
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('sign-in page', () => {
  beforeAll(() => identity.registerVerified('rotate@example.jp'));

  it('issues a new session cookie at every sign-in and ends the one the browser came with', async () => {
    const first = sessionCookie(await signIn('rotate@example.jp').expect(303));
    expect(first).toBeDefined();
    await me(first!).expect(200);
    const second = await signIn('rotate@example.jp', PASSWORD, {}, first).expect(303);
    const rotated = sessionCookie(second);
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(first);
    const cookieLine = ([] as string[]).concat(second.headers['set-cookie']).find((line) => line.startsWith(`${SESSION}=`))!;
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
    await me(first!).expect(401);
    await me(rotated!).expect(200);
  });

  it('goes back to a local `next` only; another site or a protocol-relative path falls back to the account page', async () => {
    expect((await signIn('rotate@example.jp', PASSWORD, { next: '/procedures/juminhyo?x=1' }).expect(303)).headers.location).toBe('/procedures/juminhyo?x=1');
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await signIn('rotate@example.jp', PASSWORD, { next }).expect(303)).headers.location).toBe('/account');
    }
    // The page itself drops a foreign next before it reaches the form or the card button.
    const page = await http().get('/account/sign-in?next=%2F%2Fevil.example').expect(200);
    const main = page.text.slice(page.text.indexOf('<main'));
    expect(main).not.toContain('evil.example');
    expect(main).toContain('href="/mynumber/login"');
  });

  it('a wrong password re-renders the form with an error summary linking to the field, nothing signed in', async () => {
    const response = await signIn('rotate@example.jp', 'not-the-password-at-all').expect(401);
    expect(sessionCookie(response)).toBeUndefined();
    expect(response.text).toContain('class="mg-error-summary"');
    expect(response.text).toContain('href="#email"');
    expect(response.text).toContain('メールアドレスまたはパスワードが正しくありません');
    expect(response.text).toContain('value="rotate@example.jp"');
  });

  it('an empty form is a 400 with both fields named and costs no attempt', async () => {
    const response = await http().post('/account/sign-in').type('form').send({ email: '', password: '' }).expect(400);
    expect(response.text).toContain('href="#email"');
    expect(response.text).toContain('href="#password"');
  });

  it('after repeated failures the page says how long to wait (429, Retry-After), even with the right password', async () => {
    await identity.registerVerified('brute@example.jp');
    for (let attempt = 0; attempt < 5; attempt += 1) await signIn('brute@example.jp', `wrong-password-${attempt}`).expect(401);
    const blocked = await signIn('brute@example.jp', PASSWORD).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('しばらくログインできません');
    expect(blocked.text).toMatch(/約\d+分後/);
    const english = await signIn('brute@example.jp', PASSWORD).set('Cookie', 'lang=en').expect(429);
    expect(english.text).toMatch(/Wait about \d+ minutes/);
  });

  it('an unconfirmed address is told so and can ask for the link again', async () => {
    await identity.register('unverified@example.jp').expect(202);
    await identity.deliverMail();
    mailbox.forget('unverified@example.jp');
    const response = await signIn('unverified@example.jp').expect(403);
    expect(response.text).toContain('action="/account/verify-email/resend"');
    const resend = await http().post('/account/verify-email/resend').type('form').send({ email: 'unverified@example.jp' }).expect(303);
    expect(resend.headers.location).toBe('/account/register/sent?resent=1');
    await identity.deliverMail();
    expect(tokenFromLink(mailbox.take('unverified@example.jp'), 'verify-email')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('register and the mailed link', () => {
  it('registers, lands on the mailed page without using the token, confirms on POST, and never logs the token', async () => {
    const weak = await http().post('/account/register').type('form').send({ ...NAME, email: 'new@example.jp', password: 'password' }).expect(422);
    expect(weak.text).toContain('href="#password"');
    expect(weak.text).toContain('パスワードは12文字以上にしてください');
    const guessable = await http().post('/account/register').type('form').send({ ...NAME, email: 'new@example.jp', password: 'aaaaaaaaaaaaaaaa' }).set('Cookie', 'lang=en').expect(422);
    expect(guessable.text).toContain('This password is too easy to guess');
    expect(guessable.text).toContain('Advice on your password');

    expect((await http().post('/account/register').type('form').send({ ...NAME, email: 'new@example.jp', password: PASSWORD }).expect(303)).headers.location).toBe('/account/register/sent');
    await identity.deliverMail();
    const link = /https?:\/\/\S+(\/verify-email\?m=\d{6}&token=([A-Za-z0-9_-]+))/.exec(mailbox.take('new@example.jp').text)!;
    const [, path, token] = link;
    // Opening the link (a mail scanner may) shows a button; the token is still good.
    const landing = await http().get(path).expect(200);
    expect(landing.text).toContain('action="/verify-email"');
    await signIn('new@example.jp').expect(403);
    const confirmed = await http().post('/verify-email').type('form').send({ token, m: '990001' }).expect(303);
    expect(confirmed.headers.location).toBe('/verify-email/done');
    expect((await http().get('/verify-email/done').expect(200)).text).toContain('href="/account/sign-in"');
    await signIn('new@example.jp').expect(303);
    // Used once: the same link is now refused with a page, not an error dump.
    const again = await http().post('/verify-email').type('form').send({ token, m: '990001' }).expect(400);
    expect(again.text).toContain('このリンクは使えません');
    expect(log.join('')).not.toContain(token);
  });
});

describe('password reset', () => {
  it('request → mail → new password → done; the old sessions end and the old password stops working', async () => {
    await identity.registerVerified('forgot@example.jp');
    const before = sessionCookie(await signIn('forgot@example.jp').expect(303))!;
    expect((await http().post('/account/password-reset').type('form').send({ email: 'forgot@example.jp' }).expect(303)).headers.location).toBe('/account/password-reset/sent');
    // An unknown address gets the same answer.
    expect((await http().post('/account/password-reset').type('form').send({ email: 'nobody@example.jp' }).expect(303)).headers.location).toBe('/account/password-reset/sent');
    await identity.deliverMail();
    const token = tokenFromLink(mailbox.take('forgot@example.jp'), 'reset-password');
    expect((await http().get(`/reset-password?m=990001&token=${token}`).expect(200)).text).toContain('action="/reset-password"');
    const weak = await http().post('/reset-password').type('form').send({ token, m: '990001', password: 'short' }).expect(422);
    expect(weak.text).toContain('href="#password"');
    const newPassword = 'lantern-orbit-meadow-quartz';
    expect((await http().post('/reset-password').type('form').send({ token, m: '990001', password: newPassword }).expect(303)).headers.location).toBe('/reset-password/done');
    await me(before).expect(401);
    await signIn('forgot@example.jp').expect(401);
    await signIn('forgot@example.jp', newPassword).expect(303);
    expect((await http().post('/reset-password').type('form').send({ token, m: '990001', password: 'another-lantern-orbit-meadow' }).expect(400)).text).toContain('このリンクは使えません');
    expect(log.join('')).not.toContain(token);
  });
});

describe('signed-in account pages', () => {
  beforeAll(() => identity.registerVerified('owner@example.jp'));

  it('anonymous visitors are sent to sign in with the way back', async () => {
    for (const path of ['/account', '/account/password', '/account/devices']) {
      const response = await http().get(path).expect(303);
      expect(response.headers.location).toBe(`/account/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it('changes the password with the CSRF field (without it: refused), keeping this session and ending the others', async () => {
    const other = sessionCookie(await signIn('owner@example.jp').expect(303))!;
    const mine = sessionCookie(await signIn('owner@example.jp').expect(303))!;
    const form = await http().get('/account/password').set('Cookie', `${SESSION}=${mine}`).expect(200);
    const csrf = csrfOf(form.text);
    expect(csrf).not.toBe('');
    const newPassword = 'violet-harbor-tundra-pebble';
    const post = (body: Record<string, string>) => http().post('/account/password').set('Cookie', `${SESSION}=${mine}`).type('form').send(body);
    expect((await post({ currentPassword: PASSWORD, newPassword }).expect(403)).text).toContain('もう一度お試しください');
    expect((await post({ _csrf: csrf, currentPassword: 'wrong-current-password', newPassword }).expect(422)).text).toContain('href="#currentPassword"');
    expect((await post({ _csrf: csrf, currentPassword: PASSWORD, newPassword }).expect(303)).headers.location).toBe('/account?changed=1');
    await me(mine).expect(200);
    await me(other).expect(401);
    await signIn('owner@example.jp', newPassword).expect(303);
  });

  it('lists the signed-in devices with this one marked, and "sign out everywhere" ends them all', async () => {
    await identity.registerVerified('devices@example.jp');
    const app = await identity.residentTokens('devices@example.jp');
    const mine = sessionCookie(await signIn('devices@example.jp').expect(303))!;
    const page = await http().get('/account/devices').set('Cookie', `${SESSION}=${mine}`).expect(200);
    expect(page.text.match(/<tr>/g)?.length).toBe(3); // header + two sessions
    expect(page.text.match(/data-current-session/g)?.length).toBe(1);
    expect(page.text).toContain('アプリ');
    expect(page.text).toContain('ブラウザ');
    const out = await http()
      .post('/account/devices/sign-out-everywhere')
      .set('Cookie', `${SESSION}=${mine}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(out.headers.location).toBe('/account/sign-in?out=everywhere');
    await me(mine).expect(401);
    await http().get('/api/v1/auth/me').auth(app.accessToken, { type: 'bearer' }).expect(401);
  });

  it('another resident sees only their own sessions', async () => {
    await identity.registerVerified('neighbour@example.jp');
    const neighbour = sessionCookie(await signIn('neighbour@example.jp').expect(303))!;
    const page = await http().get('/account/devices').set('Cookie', `${SESSION}=${neighbour}`).expect(200);
    expect(page.text.match(/<tr>/g)?.length).toBe(2);
  });

  it('the header shows the signed-in state with a sign-out form; signing out ends the session', async () => {
    const mine = sessionCookie(await signIn('neighbour@example.jp').expect(303))!;
    const home = await http().get('/').set('Cookie', `${SESSION}=${mine}`).expect(200);
    expect(home.text).toContain('ログイン中');
    expect(home.text).toContain('action="/account/sign-out"');
    const out = await http().post('/account/sign-out').set('Cookie', `${SESSION}=${mine}`).type('form').send({ _csrf: csrfOf(home.text) }).expect(303);
    expect(out.headers.location).toBe('/account/sign-in?out=1');
    await me(mine).expect(401);
    const anonymous = await http().get('/procedures/juminhyo').expect(200);
    expect(anonymous.text).toContain('href="/account/sign-in?next=%2Fprocedures%2Fjuminhyo"');
  });
});
