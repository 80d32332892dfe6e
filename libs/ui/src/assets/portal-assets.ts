import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { PORTAL_SCRIPT } from './enhance';
import { PORTAL_CSS } from './styles';

/** One file a page loads, with its content-hashed URL and strong ETag. */
export interface StaticAsset {
  /** URL path under our origin, e.g. `/assets/portal.3f2a9c1b0d4e.css`. */
  path: string;
  contentType: string;
  body: Buffer;
  /** The body gzipped once at build, for clients that accept it (text assets only). */
  gzipped?: Buffer;
  etag: string;
}

/** The weights pages use: regular text and bold headings. */
export const FONT_WEIGHTS = [400, 700] as const;

/**
 * Noto Sans JP comes from @fontsource as 120 unicode-range slices per
 * weight, numbered from rare (0) to frequent (119: kana, 118: Latin).
 * A page downloads only the slices holding characters it shows, but a
 * Japanese page still touches dozens: declaring all of them cost the
 * procedure guide 736 KB (and 209 KB of @font-face rules). So we declare
 * the frequent slices only, per weight: bold gets Latin only (slice 118,
 * for headings in English); rarer kanji, and bold kana and kanji, fall
 * back to the system's Japanese gothic (or a synthesized bold), which every phone has. This keeps
 * a page within its 150 KB first-visit budget (a browser test asserts it).
 */
export const FONT_SLICES: Record<(typeof FONT_WEIGHTS)[number], { from: number; to: number }> = { 400: { from: 110, to: 119 }, 700: { from: 118, to: 118 } };

const FONT_FILE = /^noto-sans-jp-(\d+)-(400|700)-normal\.woff2$/;

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function hashed(basePath: string, name: string, extension: string, contentType: string, body: Buffer): StaticAsset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `${basePath}/${name}.${hash}.${extension}`, contentType, body, gzipped: gzipSync(body, { level: 9 }), etag: etagOf(body) };
}

function packageFile(specifier: string): string {
  return require.resolve(specifier);
}

/**
 * @font-face rules for our weights and slices, pointing at our own origin,
 * woff2 only (every browser we support reads it). Read from the package's
 * own CSS so the unicode ranges match its files exactly.
 */
function fontFaces(slices: typeof FONT_SLICES, fontsPath: string): { css: string; files: Set<string> } {
  const files = new Set<string>();
  const rules: string[] = [];
  for (const weight of FONT_WEIGHTS) {
    const source = readFileSync(packageFile(`@fontsource/noto-sans-jp/${weight}.css`), 'utf8');
    for (const block of source.match(/@font-face\s*{[^}]*}/g) ?? []) {
      const file = /url\(\.\/files\/(noto-sans-jp-\d+-\d+-normal\.woff2)\)/.exec(block)?.[1];
      const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
      const slice = file ? Number(FONT_FILE.exec(file)?.[1]) : NaN;
      if (!file || !range || !(slice >= slices[weight].from && slice <= slices[weight].to)) continue;
      files.add(file);
      rules.push(`@font-face{font-family:'Noto Sans JP';font-style:normal;font-weight:${weight};font-display:swap;src:url(${fontsPath}${file}) format('woff2');unicode-range:${range.trim()}}`);
    }
  }
  return { css: rules.join('\n'), files };
}

/**
 * The portal's static files, built once at start: one stylesheet (design
 * tokens + fonts + ours) and one script, each at a content-hashed path so
 * it can be cached for a year; and the font slices, served by name.
 */
export class PortalAssets {
  readonly stylesheet: StaticAsset;
  readonly script: StaticAsset;
  private readonly fontFiles: Set<string>;
  private readonly fontCache = new Map<string, StaticAsset>();
  private readonly fontsDirectory: string;
  private readonly fontsPath: string;

  /**
   * `basePath`: where these files are served (the office serves its own
   * copy under /office/assets so it runs without the portal); `script`:
   * the enhancement script (the office adds its own to the portal's).
   */
  constructor(options: { fontSlices?: typeof FONT_SLICES; basePath?: string; script?: string; css?: string } = {}) {
    const basePath = options.basePath ?? '/assets';
    this.fontsPath = `${basePath}/fonts/`;
    const tokens = readFileSync(packageFile('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').trim();
    const fonts = fontFaces(options.fontSlices ?? FONT_SLICES, this.fontsPath);
    this.fontFiles = fonts.files;
    this.fontsDirectory = path.join(path.dirname(packageFile('@fontsource/noto-sans-jp/400.css')), 'files');
    const css = `/* Madoguchi portal. Design tokens: @digital-go-jp/design-tokens (MIT). Font: Noto Sans JP (OFL-1.1) via @fontsource. */\n${tokens}\n${fonts.css}\n${PORTAL_CSS.trim()}\n${options.css?.trim() ?? ''}\n`;
    this.stylesheet = hashed(basePath, 'portal', 'css', 'text/css; charset=utf-8', Buffer.from(css, 'utf8'));
    this.script = hashed(basePath, 'portal', 'js', 'text/javascript; charset=utf-8', Buffer.from(options.script ?? PORTAL_SCRIPT, 'utf8'));
  }

  /** A font slice by file name; null for anything not declared in our stylesheet. */
  font(fileName: string): StaticAsset | null {
    if (!FONT_FILE.test(fileName) || !this.fontFiles.has(fileName)) return null;
    let asset = this.fontCache.get(fileName);
    if (!asset) {
      const body = readFileSync(path.join(this.fontsDirectory, fileName));
      asset = { path: `${this.fontsPath}${fileName}`, contentType: 'font/woff2', body, etag: etagOf(body) };
      this.fontCache.set(fileName, asset);
    }
    return asset;
  }

  /** The stylesheet or script at this path (`/assets/<name>`), else null. */
  file(assetPath: string): StaticAsset | null {
    if (assetPath === this.stylesheet.path) return this.stylesheet;
    if (assetPath === this.script.path) return this.script;
    return null;
  }
}
