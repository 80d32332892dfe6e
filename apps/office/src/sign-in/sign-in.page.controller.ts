import { Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CurrentMunicipality, DomainError, type MunicipalityId, Public } from '@madoguchi/kernel';
import { CurrentStaff, IpRateLimitGuard, StaffOnly, type StaffPrincipal, StaffSignInService } from '@madoguchi/identity';
import { STAFF_ROLES } from '@madoguchi/workflow';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { toDataURL } from 'qrcode';
import { localPath } from '../../../portal/src/lang.controller';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { SignInView, TotpView } from './sign-in.view';

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');

/** Where a signed-in staff member goes next: only a page of the office. */
export function officeNext(next: unknown): string {
  const path = localPath(next);
  return path === '/office' || path.startsWith('/office/') || path.startsWith('/office?') ? path : '/office';
}

/**
 * /office/sign-in: login ID, password and the TOTP code (administrators
 * must, others once enrolled) on the same StaffSignInService as
 * POST /auth/staff/login, with a cookie session. Refusals are shown on the
 * form: wrong password or code, throttled (with the wait), locked.
 */
@Public()
@OfficePageController('sign-in')
export class SignInPageController {
  constructor(
    private readonly signIn: StaffSignInService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async form(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const context = await this.pages.of(request);
    const notice = query.expired === '1' ? 'expired' : query.signedOut === '1' ? 'signedOut' : null;
    sendPage(response, context.lang, renderDocument(SignInView({ context, next: officeNext(query.next), loginId: '', errors: [], notice })));
  }

  @Post()
  @UseGuards(IpRateLimitGuard)
  async submit(@Req() request: Request, @Res() response: Response, @CurrentMunicipality() municipalityId: MunicipalityId): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const loginId = text(body.loginId, 64).trim();
    const password = text(body.password, 256);
    const totpCode = text(body.totpCode, 16).trim();
    const next = officeNext(body.next);
    const context = await this.pages.of(request);
    const { t } = context;
    const errors: FieldError[] = [];
    if (!loginId) errors.push({ fieldId: 'loginId', message: t('office.signIn.loginIdMissing') });
    if (!password) errors.push({ fieldId: 'password', message: t('office.signIn.passwordMissing') });
    if (totpCode && !/^[0-9]{6}$/.test(totpCode)) errors.push({ fieldId: 'totpCode', message: t('office.signIn.totpFormat') });
    let status = 400;
    if (errors.length === 0) {
      try {
        await this.signIn.signInWithCookie(municipalityId, request.ip ?? 'unknown', { loginId, password, totpCode: totpCode || undefined }, response);
        return response.redirect(303, next);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        status = (error as DomainError & { httpStatus: number }).httpStatus;
        const own = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
        if (error.code === 'AUTH_RATE_LIMITED') {
          const seconds = Number(error.details?.retryAfterSeconds ?? 60);
          response.setHeader('Retry-After', String(seconds));
          errors.push({ fieldId: 'loginId', message: t('office.signIn.throttled', { minutes: Math.max(1, Math.ceil(seconds / 60)) }) });
        } else if (error.code === 'AUTH_ACCOUNT_LOCKED') {
          errors.push({ fieldId: 'loginId', message: t('office.signIn.locked') });
        } else if (error.code === 'AUTH_TOTP_REQUIRED' || error.code === 'AUTH_TOTP_INVALID' || error.code === 'AUTH_TOTP_ENROLLMENT_REQUIRED') {
          errors.push({ fieldId: 'totpCode', message: own });
        } else {
          errors.push({ fieldId: 'password', message: own });
        }
      }
    }
    sendPage(response, context.lang, renderDocument(SignInView({ context, next, loginId, errors, notice: null })), status);
  }
}

@StaffOnly(...STAFF_ROLES)
@OfficePageController()
export class SignOutPageController {
  constructor(private readonly signIn: StaffSignInService) {}

  @Post('sign-out')
  async signOut(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.signIn.signOut(staff, response);
    response.redirect(303, '/office/sign-in?signedOut=1');
  }
}

/**
 * TOTP enrolment: start (a new secret, shown once on the answer page as a
 * QR code and as text; never in a URL), then confirm with a code from it.
 */
@StaffOnly(...STAFF_ROLES)
@OfficePageController('totp')
export class TotpPageController {
  constructor(
    private readonly signIn: StaffSignInService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Query('done') done: unknown): Promise<void> {
    const context = await this.pages.of(request);
    const enrolled = done === '1' || staff.authMethod === 'password+totp';
    sendPage(response, context.lang, renderDocument(TotpView({ context, state: enrolled ? { kind: 'enrolled', justNow: done === '1' } : { kind: 'start' }, errors: [] })));
  }

  @Post()
  async start(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const { secret, otpauthUri } = await this.signIn.beginTotp(staff);
    const context = await this.pages.of(request);
    const qrDataUrl = await toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
    sendPage(response, context.lang, renderDocument(TotpView({ context, state: { kind: 'scan', secret, qrDataUrl }, errors: [] })));
  }

  @Post('confirm')
  async confirm(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const code = text((request.body as Record<string, unknown> | undefined)?.code, 16).trim();
    const context = await this.pages.of(request);
    try {
      if (!/^[0-9]{6}$/.test(code)) throw null;
      await this.signIn.confirmTotp(staff, code);
      return response.redirect(303, '/office/totp?done=1');
    } catch (error) {
      if (error !== null && !(error instanceof DomainError)) throw error;
      const message = error instanceof DomainError ? (context.lang === 'en' ? error.userMessage.en : error.userMessage.ja) : context.t('office.signIn.totpFormat');
      sendPage(response, context.lang, renderDocument(TotpView({ context, state: { kind: 'start' }, errors: [{ fieldId: 'code', message }] })), 400);
    }
  }
}
