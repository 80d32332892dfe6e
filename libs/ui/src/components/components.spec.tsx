import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { UiContext } from '../context';
import { type Lang, translator } from '../i18n/i18n';
import { PortalAssets } from '../assets/portal-assets';
import { DateInput } from '../form/date-input';
import { Radios } from '../form/choices';
import { TextInput } from '../form/text-input';
import { PageLayout } from '../layout/page-layout';
import { Button } from './button';
import { ErrorSummary } from './error-summary';
import { Pagination } from './pagination';
import { SummaryList } from './summary-list';
import { Table } from './table';

function html(node: VNode, lang: Lang = 'ja'): string {
  return renderToString(<UiContext.Provider value={{ lang, t: translator(lang) }}>{node}</UiContext.Provider>);
}

describe('form controls', () => {
  it('wire label, hint and error to the input by id', () => {
    const out = html(<TextInput name="postalCode" label="郵便番号" hint="7桁" error="郵便番号を入力してください" autocomplete="postal-code" inputmode="numeric" width={10} value="123" />);
    expect(out).toContain('<label class="mg-label" for="postalCode">');
    expect(out).toContain('id="postalCode-hint"');
    expect(out).toContain('id="postalCode-error"');
    expect(out).toContain('aria-describedby="postalCode-hint postalCode-error"');
    expect(out).toContain('autocomplete="postal-code"');
    expect(out).toContain('inputmode="numeric"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('value="123"');
  });

  it('escape what a user typed', () => {
    const out = html(<TextInput name="q" label="q" value={'"><script>alert(1)</script>'} />);
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;>&lt;script>');
  });

  it('radios: a fieldset whose legend is the question; the first radio carries the field id', () => {
    const out = html(<Radios name="scope" label="記載する人" items={[{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }]} value="b" error="選んでください" />);
    expect(out).toMatch(/<fieldset class="mg-fieldset" aria-describedby="scope-error">\s*<legend/);
    expect(out).toContain('id="scope"');
    expect(out).toContain('id="scope-2"');
    expect(out).toMatch(/value="b" checked/);
  });

  it('date input: era select then numeric boxes, posted under <name>-part; Gregorian mode has no era', () => {
    const wareki = html(<DateInput name="birth" label="生年月日" birthday value={{ era: 'H', year: '3', month: '4', day: '5' }} />);
    expect(wareki).toContain('name="birth-era"');
    expect(wareki).toMatch(/<option value="H" selected>平成<\/option>/);
    expect(wareki).toContain('name="birth-year"');
    expect(wareki).toContain('autocomplete="bday-day"');
    const english = html(<DateInput name="birth" label="Date of birth" />, 'en');
    expect(english).toContain('>Reiwa</option>');
    const gregorian = html(<DateInput name="d" label="d" mode="gregorian" />);
    expect(gregorian).not.toContain('d-era');
    expect(gregorian).toMatch(/maxlength="4"/i);
  });
});

describe('display components', () => {
  it('error summary: an alert, focusable by script, linking to each field', () => {
    const out = html(<ErrorSummary errors={[{ fieldId: 'name', message: '氏名を入力してください' }]} />);
    expect(out).toContain('role="alert"');
    expect(out).toContain('tabindex="-1"');
    expect(out).toContain('data-mg-focus-on-load');
    expect(out).toContain('href="#name"');
    expect(html(<ErrorSummary errors={[]} />)).toBe('');
  });

  it('summary list change links say what they change to screen readers', () => {
    const out = html(<SummaryList rows={[{ key: '氏名', value: '窓口 花子', change: { href: '/apply/x/name', what: '氏名' } }]} />, 'en');
    expect(out).toContain('Change<span class="mg-visually-hidden"> 氏名</span>');
  });

  it('table: caption, th scope, aria-sort and sort links', () => {
    const out = html(
      <Table
        caption="一覧"
        rowHeader="name"
        columns={[
          { key: 'name', label: '名前', sort: { state: 'ascending', ascendingHref: '?sort=name', descendingHref: '?sort=-name' } },
          { key: 'amount', label: '金額', numeric: true },
        ]}
        rows={[{ name: 'A', amount: '300円' }]}
      />,
    );
    expect(out).toContain('<caption');
    expect(out).toContain('scope="col"');
    expect(out).toContain('aria-sort="ascending"');
    expect(out).toContain('href="?sort=-name"');
    expect(out).toContain('<th scope="row"');
  });

  it('pagination renders only the links it has, and nothing without any', () => {
    expect(html(<Pagination nextHref="?after=abc" />)).toContain('rel="next"');
    expect(html(<Pagination nextHref="?after=abc" />)).not.toContain('rel="prev"');
    expect(html(<Pagination />)).toBe('');
  });

  it('a link button is a link; a button is a submit button', () => {
    expect(html(<Button href="/apply/x" start>Start</Button>)).toMatch(/^<a class="mg-button mg-button--primary mg-button--start" href="\/apply\/x"/);
    expect(html(<Button variant="warning">Withdraw</Button>)).toMatch(/^<button class="mg-button mg-button--warning" type="submit"/);
  });
});

describe('page layout', () => {
  const assets = new PortalAssets();

  it('puts the skip link first, names the page language, and links every other language back to this page', () => {
    const out = renderToString(
      <PageLayout lang="en" title="Find" city="Sakuragaoka City" currentPath="/?q=a&b=c" assets={{ stylesheetHref: assets.stylesheet.path, scriptHref: assets.script.path }}>
        <h1>Find</h1>
      </PageLayout>,
    );
    expect(out).toMatch(/^<html lang="en"/);
    expect(out.indexOf('mg-skip-link')).toBeLessThan(out.indexOf('<header'));
    expect(out).toContain('href="/lang?to=ja&amp;back=%2F%3Fq%3Da%26b%3Dc"');
    expect(out).toContain('lang="ja" hreflang="ja">日本語</a>');
    expect(out).toContain('aria-current="true" lang="en">English</span>');
    expect(out).toContain('<main class="mg-main" id="main" tabindex="-1">');
    expect(out).not.toMatch(/<script>|<style|style="/);
  });
});

describe('portal assets', () => {
  const assets = new PortalAssets();

  it('hash the stylesheet path by content and carry the design tokens and our fonts', () => {
    expect(assets.stylesheet.path).toMatch(/^\/assets\/portal\.[0-9a-f]{12}\.css$/);
    const css = assets.stylesheet.body.toString('utf8');
    expect(css).toContain('--color-primitive-blue-900');
    expect(css).toMatch(/url\(\/assets\/fonts\/noto-sans-jp-119-400-normal\.woff2\) format\('woff2'\)/);
    expect(css).toContain('font-weight:700');
    expect(css).not.toMatch(/https?:\/\//);
    expect(css).not.toContain('.woff)');
  });

  it('serve only declared font slices, by exact name', () => {
    expect(assets.font('noto-sans-jp-119-400-normal.woff2')?.body.length).toBeGreaterThan(1000);
    expect(assets.font('noto-sans-jp-119-500-normal.woff2')).toBeNull();
    expect(assets.font('noto-sans-jp-20-400-normal.woff2')).toBeNull();
    expect(assets.font('../../package.json')).toBeNull();
    expect(assets.font('noto-sans-jp-119-400-normal.woff')).toBeNull();
  });
});
