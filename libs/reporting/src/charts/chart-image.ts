import type { Chart } from './charts';
import type { Response } from 'express';

/**
 * A server-rendered chart as an image of its own. Pages forbid inline styles
 * and echarts' SVG carries style attributes, so pages embed it with <img>
 * (same origin) beside its text summary and table; this answer carries the
 * strict policy an SVG opened directly needs (no script, nothing fetched).
 * `shared`: public figures (the progress page) may sit in a shared cache
 * briefly; a signed-in manager's never. The portal and the office each serve
 * their own chart routes with it, so either runs alone (`APPS=`).
 */
export function sendChartImage(response: Response, chart: Chart, options: { shared: boolean }): void {
  const body = Buffer.from(chart.svg, 'utf8');
  response
    .status(200)
    .set({
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': options.shared ? 'public, max-age=300' : 'private, no-store',
      Vary: 'Cookie, Accept-Language',
    })
    .send(body);
}
