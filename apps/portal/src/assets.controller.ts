import { Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { Public } from '@madoguchi/kernel';
import { PortalAssets, type StaticAsset } from '@madoguchi/ui';
import { PageController } from './shared/page-controller';
import type { Request, Response } from 'express';

/**
 * The portal's stylesheet, script and font slices, from our own origin.
 * Their names change with their content (fonts: with the package
 * version), so browsers may keep them a year; the ETag answers a
 * revalidation with 304.
 */
@Public()
@PageController('assets')
export class AssetsController {
  constructor(private readonly assets: PortalAssets) {}

  @Get('fonts/:file')
  font(@Req() request: Request, @Res() response: Response, @Param('file') file: string): void {
    send(request, response, this.assets.font(file));
  }

  @Get(':file')
  file(@Req() request: Request, @Res() response: Response, @Param('file') file: string): void {
    send(request, response, this.assets.file(`/assets/${file}`));
  }
}

function send(request: Request, response: Response, asset: StaticAsset | null): void {
  if (!asset) throw new NotFoundException();
  response.set({
    'Content-Type': asset.contentType,
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: asset.etag,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    Vary: 'Accept-Encoding',
  });
  if (request.header('if-none-match') === asset.etag) {
    response.status(304).end();
    return;
  }
  if (asset.gzipped && acceptsGzip(request)) {
    response.set('Content-Encoding', 'gzip').status(200).send(asset.gzipped);
    return;
  }
  response.status(200).send(asset.body);
}

/** Text assets go gzipped when the browser says it reads gzip (every browser does; page weight counts bytes on the wire). */
export function acceptsGzip(request: Request): boolean {
  return /\bgzip\b/.test(request.header('accept-encoding') ?? '');
}
