import { Body, Get, Ip, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { AuthFacade, Authenticated, CurrentPrincipal, IdentityError, IdentityErrorCode, IpRateLimitGuard, localReturnPath, type Principal } from '@madoguchi/identity';
import { CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { emailError, formField, waitText } from './account-forms';
import { SignInView } from './sign-in.view';

type PageRequest = Request & { principal?: Principal };

/** Where a resident lands after signing in when the sign-in page was not given a way back. */
export const AFTER_SIGN_IN_PATH = '/account';

/**
 * /account/sign-in and /account/sign-out on AuthFacade, the same service
 * the JSON sign-in uses. A successful sign-in always issues a new session
 * cookie and ends the one the browser came with.
 */
@PageController('account')
export class SignInPageController {
  constructor(
    private readonly auth: AuthFacade,
    private readonly pages: PageContextFactory,
  ) {}

  @Get('sign-in')
  @Public()
  form(@Req() request: PageRequest, @Res() response: Response, @Query('next') next: unknown, @Query('out') out: unknown): void {
    const context = this.pages.of(request);
    const notice = out === 'everywhere' ? 'signedOutEverywhere' : out === '1' ? 'signedOut' : null;
    sendPage(response, context.lang, renderDocument(SignInView({ context, next: localReturnPath(next), email: '', errors: [], unverifiedEmail: null, notice })));
  }

  @Post('sign-in')
  @Public()
  @UseGuards(IpRateLimitGuard)
  async signIn(
    @CurrentMunicipality() municipalityId: MunicipalityId,
    @Ip() ip: string,
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.pages.of(request);
    const { t } = context;
    const next = localReturnPath(formField(body, 'next'));
    const email = formField(body, 'email');
    const password = formField(body, 'password', false);
    const errors: FieldError[] = [];
    const badEmail = emailError(t, email);
    if (badEmail) errors.push(badEmail);
    if (password === '') errors.push({ fieldId: 'password', message: t('account.signIn.passwordMissing') });
    let status = 400;
    let unverifiedEmail: string | null = null;
    if (errors.length === 0) {
      try {
        await this.auth.signInWithPassword(municipalityId, ip, { email, password }, request.principal, response);
        response.redirect(303, next ?? AFTER_SIGN_IN_PATH);
        return;
      } catch (error) {
        if (!(error instanceof IdentityError)) throw error;
        status = error.httpStatus;
        if (error.code === IdentityErrorCode.InvalidCredentials) {
          errors.push({ fieldId: 'email', message: t('account.signIn.invalid') });
        } else if (error.code === IdentityErrorCode.RateLimited) {
          const seconds = Number((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60);
          response.setHeader('Retry-After', String(seconds));
          errors.push({ fieldId: 'email', message: t('account.signIn.throttled', { wait: waitText(t, seconds) }) });
        } else if (error.code === IdentityErrorCode.EmailNotVerified) {
          errors.push({ fieldId: 'email', message: t('account.signIn.unverified') });
          unverifiedEmail = email;
        } else {
          throw error;
        }
      }
    }
    sendPage(response, context.lang, renderDocument(SignInView({ context, next, email, errors, unverifiedEmail, notice: null })), status);
  }

  /** Signs out this browser (a resident or a staff member on a page); back to the sign-in page saying so. */
  @Post('sign-out')
  @Authenticated()
  async signOut(@CurrentPrincipal() principal: Principal, @Res() response: Response): Promise<void> {
    await this.auth.logout(principal, response);
    response.redirect(303, '/account/sign-in?out=1');
  }
}
