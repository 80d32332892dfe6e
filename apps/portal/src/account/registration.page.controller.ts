import { Body, Get, Ip, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { AuthFacade, IdentityError, IdentityErrorCode, IpRateLimitGuard, MIN_PASSWORD_LENGTH, readResidentName } from '@madoguchi/identity';
import { asMunicipalityId, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { emailError, formField, nameErrors, weakPasswordAdvice } from './account-forms';
import { AccountMessageView, PasswordResetRequestView, PasswordResetView, RegisterView, VerifyEmailView } from './account.views';

/**
 * The pages of an account without a session: register, the mailed
 * confirmation link (/verify-email), password reset (request, then the
 * mailed /reset-password link). Each posts to AuthFacade, as the JSON
 * routes do. Tokens travel in the query of the mailed link only: the form
 * posts them, and every answer after that redirects to a page without one.
 */
@Public()
@PageController()
export class RegistrationPageController {
  constructor(
    private readonly auth: AuthFacade,
    private readonly pages: PageContextFactory,
    private readonly directory: MunicipalityDirectory,
  ) {}

  @Get('account/register')
  registerForm(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    sendPage(response, context.lang, renderDocument(RegisterView({ context, email: '', name: '', nameKana: '', errors: [], advice: null, minLength: MIN_PASSWORD_LENGTH })));
  }

  @Post('account/register')
  @UseGuards(IpRateLimitGuard)
  async register(@CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string, @Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const context = this.pages.of(request);
    const email = formField(body, 'email');
    const password = formField(body, 'password', false);
    const typed = { name: formField(body, 'name'), nameKana: formField(body, 'nameKana') };
    const name = readResidentName(typed.name, typed.nameKana);
    const errors: FieldError[] = 'problems' in name ? nameErrors(context.t, name.problems) : [];
    const badEmail = emailError(context.t, email);
    if (badEmail) errors.push(badEmail);
    if (password === '') errors.push({ fieldId: 'password', message: context.t('account.signIn.passwordMissing') });
    let advice = null;
    if (errors.length === 0 && 'value' in name) {
      try {
        await this.auth.register(municipalityId, ip, email, password, name.value);
        response.redirect(303, '/account/register/sent');
        return;
      } catch (error) {
        advice = weakPasswordAdvice(context, error);
        if (!advice) throw error;
        errors.push({ fieldId: 'password', message: advice.message });
      }
    }
    sendPage(response, context.lang, renderDocument(RegisterView({ context, email, ...typed, errors, advice, minLength: MIN_PASSWORD_LENGTH })), advice ? 422 : 400);
  }

  @Get('account/register/sent')
  registerSent(@Req() request: Request, @Res() response: Response, @Query('resent') resent: unknown): void {
    const context = this.pages.of(request);
    const { t } = context;
    const body = resent === '1' ? t('account.register.resentBody') : t('account.register.sentBody');
    sendPage(response, context.lang, renderDocument(AccountMessageView({ context, title: t('account.register.sentTitle'), body })));
  }

  /** "Send the link again" from the sign-in page: the same answer whatever the address. */
  @Post('account/verify-email/resend')
  @UseGuards(IpRateLimitGuard)
  async resend(@CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const email = formField(body, 'email');
    if (email !== '' && email.length <= 254) await this.auth.resendVerification(municipalityId, ip, email);
    response.redirect(303, '/account/register/sent?resent=1');
  }

  @Get('verify-email')
  verifyForm(@Req() request: Request, @Res() response: Response, @Query('token') token: unknown, @Query('m') m: unknown): void {
    const context = this.pages.of(request);
    if (typeof token !== 'string' || token === '' || token.length > 200) return this.invalidLink(request, response, 'verify');
    sendPage(response, context.lang, renderDocument(VerifyEmailView({ context, token, municipality: this.known(m) })));
  }

  @Post('verify-email')
  @UseGuards(IpRateLimitGuard)
  async verify(@CurrentMunicipality() municipalityId: MunicipalityId, @Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const token = formField(body, 'token');
    try {
      await this.auth.verifyEmail(this.municipalityOf(body, municipalityId), token);
    } catch (error) {
      if (error instanceof IdentityError && error.code === IdentityErrorCode.TokenInvalid) return this.invalidLink(request, response, 'verify');
      throw error;
    }
    response.redirect(303, '/verify-email/done');
  }

  @Get('verify-email/done')
  verified(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    const { t } = context;
    sendPage(
      response,
      context.lang,
      renderDocument(AccountMessageView({ context, title: t('account.verify.doneTitle'), body: t('account.verify.doneBody'), link: { href: '/account/sign-in', label: t('account.goToSignIn') }, success: true })),
    );
  }

  @Get('account/password-reset')
  resetRequestForm(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    sendPage(response, context.lang, renderDocument(PasswordResetRequestView({ context, email: '', errors: [] })));
  }

  @Post('account/password-reset')
  @UseGuards(IpRateLimitGuard)
  async requestReset(@CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string, @Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const context = this.pages.of(request);
    const email = formField(body, 'email');
    const badEmail = emailError(context.t, email);
    if (badEmail) {
      sendPage(response, context.lang, renderDocument(PasswordResetRequestView({ context, email, errors: [badEmail] })), 400);
      return;
    }
    await this.auth.requestPasswordReset(municipalityId, ip, email);
    response.redirect(303, '/account/password-reset/sent');
  }

  @Get('account/password-reset/sent')
  resetSent(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    const { t } = context;
    sendPage(response, context.lang, renderDocument(AccountMessageView({ context, title: t('account.reset.sentTitle'), body: t('account.reset.sentBody') })));
  }

  @Get('reset-password')
  resetForm(@Req() request: Request, @Res() response: Response, @Query('token') token: unknown, @Query('m') m: unknown): void {
    const context = this.pages.of(request);
    if (typeof token !== 'string' || token === '' || token.length > 200) return this.invalidLink(request, response, 'reset');
    sendPage(response, context.lang, renderDocument(PasswordResetView({ context, token, municipality: this.known(m), errors: [], advice: null, minLength: MIN_PASSWORD_LENGTH })));
  }

  @Post('reset-password')
  @UseGuards(IpRateLimitGuard)
  async reset(@CurrentMunicipality() municipalityId: MunicipalityId, @Req() request: Request, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const context = this.pages.of(request);
    const token = formField(body, 'token');
    const password = formField(body, 'password', false);
    const municipality = this.known(formField(body, 'm'));
    if (password === '') {
      const errors = [{ fieldId: 'password', message: context.t('account.signIn.passwordMissing') }];
      sendPage(response, context.lang, renderDocument(PasswordResetView({ context, token, municipality, errors, advice: null, minLength: MIN_PASSWORD_LENGTH })), 400);
      return;
    }
    try {
      await this.auth.confirmPasswordReset(this.municipalityOf(body, municipalityId), token, password);
    } catch (error) {
      if (error instanceof IdentityError && error.code === IdentityErrorCode.TokenInvalid) return this.invalidLink(request, response, 'reset');
      const advice = weakPasswordAdvice(context, error);
      if (!advice) throw error;
      const errors = [{ fieldId: 'password', message: advice.message }];
      sendPage(response, context.lang, renderDocument(PasswordResetView({ context, token, municipality, errors, advice, minLength: MIN_PASSWORD_LENGTH })), 422);
      return;
    }
    response.redirect(303, '/reset-password/done');
  }

  @Get('reset-password/done')
  resetDone(@Req() request: Request, @Res() response: Response): void {
    const context = this.pages.of(request);
    const { t } = context;
    sendPage(
      response,
      context.lang,
      renderDocument(AccountMessageView({ context, title: t('account.reset.doneTitle'), body: t('account.reset.doneBody'), link: { href: '/account/sign-in', label: t('account.goToSignIn') }, success: true })),
    );
  }

  private invalidLink(request: Request, response: Response, kind: 'verify' | 'reset'): void {
    const context = this.pages.of(request);
    const { t } = context;
    const view = AccountMessageView({
      context,
      title: t('account.link.invalidTitle'),
      body: t(kind === 'verify' ? 'account.verify.invalidBody' : 'account.reset.invalidBody'),
      link: kind === 'verify' ? { href: '/account/sign-in', label: t('account.goToSignIn') } : { href: '/account/password-reset', label: t('account.reset.again') },
    });
    sendPage(response, context.lang, renderDocument(view), 400);
  }

  /** The `m` of a mailed link, when it names a municipality this instance serves. */
  private known(value: unknown): string | null {
    return typeof value === 'string' && /^[0-9]{6}$/.test(value) && this.directory.get(value) ? value : null;
  }

  private municipalityOf(body: unknown, fallback: MunicipalityId): MunicipalityId {
    const named = this.known(formField(body, 'm'));
    return named ? asMunicipalityId(named) : fallback;
  }
}
