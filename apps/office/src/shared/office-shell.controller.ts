import { Get, HttpCode, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { Public } from '@madoguchi/kernel';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { STAFF_ROLES } from '@madoguchi/workflow';
import { isLang, LANG_COOKIE, PortalAssets, renderDocument, type StaticAsset } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { acceptsGzip } from '../../../portal/src/assets.controller';
import { localPath } from '../../../portal/src/lang.controller';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from './office-context';
import { OfficePageController } from './office-page.controller';
import { OfficeHomeView } from './office-home.view';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The office's own static files, under /office so the office runs without the portal (`APPS=office`). */
@Public()
@OfficePageController('assets')
export class OfficeAssetsController {
  constructor(private readonly assets: PortalAssets) {}

  @Get('fonts/:file')
  font(@Req() request: Request, @Res() response: Response, @Param('file') file: string): void {
    send(request, response, this.assets.font(file));
  }

  @Get(':file')
  file(@Req() request: Request, @Res() response: Response, @Param('file') file: string): void {
    send(request, response, this.assets.file(`/office/assets/${file}`));
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

/** Language switch of the office (ja / en), a plain link: remembers the choice and goes back, only within the office. */
@Public()
@OfficePageController('lang')
export class OfficeLanguageController {
  @Get()
  switch(@Req() request: Request, @Res() response: Response, @Query('to') to: unknown, @Query('back') back: unknown): void {
    const lang = isLang(to) && to !== 'ja-easy' ? to : 'ja';
    response.cookie(LANG_COOKIE, lang, { path: '/', maxAge: ONE_YEAR_MS, sameSite: 'lax', httpOnly: true, secure: request.secure });
    response.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const target = localPath(back);
    response.redirect(303, target === '/office' || target.startsWith('/office/') || target.startsWith('/office?') ? target : '/office');
  }
}

/** The office home (its menu by role) and the idle warning's keep-alive. */
@StaffOnly(...STAFF_ROLES)
@OfficePageController()
export class OfficeHomeController {
  constructor(private readonly pages: OfficeContextFactory) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    // Case workers start at their queue; everyone else at the menu their roles open.
    if (staff.roles.some((role) => role === 'clerk' || role === 'reviewer' || role === 'approver')) return response.redirect(303, '/office/queue');
    const context = await this.pages.of(request);
    sendPage(response, context.lang, renderDocument(OfficeHomeView({ context })));
  }

  /** Any request counts as activity: the access guard has already refreshed the session's last use. */
  @Get('keepalive')
  @HttpCode(204)
  keepAlive(@Res() response: Response): void {
    response.set('Cache-Control', 'no-store').status(204).end();
  }
}
