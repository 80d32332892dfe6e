import { applyDecorators, Header, StreamableFile } from '@nestjs/common';
import { ApiFileResponse } from '@madoguchi/kernel';
import type { Chart } from '@madoguchi/reporting';

/**
 * A chart as an image of its own: pages forbid inline styles and echarts'
 * SVG carries style attributes, so pages embed it with <img>, and this answer
 * carries the strict policy an SVG opened directly needs (no script, nothing
 * fetched; its own inline styles only).
 */
export const SvgChartResponse = (description: string) =>
  applyDecorators(
    ApiFileResponse('image/svg+xml', description),
    Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'"),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Cache-Control', 'private, no-store'),
  );

export function svgFile(chart: Chart): StreamableFile {
  const data = Buffer.from(chart.svg, 'utf8');
  return new StreamableFile(data, { type: 'image/svg+xml; charset=utf-8', length: data.length });
}
