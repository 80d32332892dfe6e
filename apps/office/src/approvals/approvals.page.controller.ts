import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApprovalDecisionsService, DelegationsService } from '@madoguchi/approvals';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { ApprovalCaseView, ApprovalInboxView, DECISION_CHOICES, type DecisionChoice, type DecisionDraft, type DelegationDraft, DelegationsView } from './approvals.view';

const uuid = new ParseUUIDPipe();
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');
const OUTCOMES = ['approved', 'returnedToPrevious', 'returnedToClerk', 'rejected'];
const OUTCOME_OF: Record<DecisionChoice, string> = { approve: 'approved', returnPrevious: 'returnedToPrevious', returnClerk: 'returnedToClerk', reject: 'rejected' };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isChoice(value: string): value is DecisionChoice {
  return (DECISION_CHOICES as readonly string[]).includes(value);
}

/** A calendar date in Japan, checked (2026-02-30 is not one). */
function jstDate(value: string): Date | null {
  if (!ISO_DATE.test(value)) return null;
  const date = new Date(`${value}T00:00:00+09:00`);
  return Number.isNaN(date.getTime()) || new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, 10) !== value ? null : date;
}

function domainMessage(error: unknown, lang: 'ja' | 'en'): { status: number; message: string } | null {
  if (!(error instanceof DomainError)) return null;
  const status = (error as DomainError & { httpStatus: number }).httpStatus;
  // Not found stays a not-found page: a case outside one's departments is not confirmed to exist.
  if (status === 404 && error.code !== 'APPROVAL_DELEGATION_NOT_FOUND') return null;
  return { status, message: lang === 'en' ? error.userMessage.en : error.userMessage.ja };
}

/**
 * /office/approvals: the approval inbox, the decision page of a case (route
 * as steps, hash-chain badge, decide with a confirmation step) and 代決.
 * Thin: each handler makes one call to the approvals services the JSON API
 * uses, which check access and decide again on commit.
 */
@OfficePageController('approvals')
export class ApprovalsPageController {
  constructor(
    private readonly decisions: ApprovalDecisionsService,
    private readonly delegations: DelegationsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  @StaffOnly('approver')
  async inbox(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const inbox = await this.decisions.inbox(staff);
    const context = await this.pages.of(request);
    sendPage(response, context.lang, renderDocument(ApprovalInboxView({ context, inbox })));
  }

  // The delegation routes come before `:id`, which would otherwise take "delegations" for a case id.
  @Get('delegations')
  @StaffOnly('approver')
  async delegationsPage(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const done = text(request.query.done, 20);
    await this.renderDelegations(request, response, staff, null, done === 'created' || done === 'revoked' ? done : null);
  }

  @Post('delegations')
  @StaffOnly('approver')
  async createDelegation(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { delegateId: text(body.delegateId, 36).trim(), startsOn: text(body.startsOn, 10).trim(), endsOn: text(body.endsOn, 10).trim(), reason: text(body.reason, 200).trim() };
    const errors: FieldError[] = [];
    if (!/^[0-9a-f-]{36}$/i.test(values.delegateId)) errors.push({ fieldId: 'delegateId', message: t('office.delegations.delegateMissing') });
    const starts = jstDate(values.startsOn);
    const ends = jstDate(values.endsOn);
    if (!starts) errors.push({ fieldId: 'startsOn', message: t('office.delegations.dateInvalid') });
    if (!ends) errors.push({ fieldId: 'endsOn', message: t('office.delegations.dateInvalid') });
    if (!values.reason) errors.push({ fieldId: 'reason', message: t('office.delegations.reasonMissing') });
    if (errors.length > 0) return this.renderDelegations(request, response, staff, { values, errors }, null, 400);
    try {
      // The last day counts in full: the delegation ends at the start of the next day (JST).
      const endsAt = new Date(ends!.getTime() + 24 * 3600_000);
      await this.delegations.create(staff, { delegateId: values.delegateId, startsAt: starts!.toISOString(), endsAt: endsAt.toISOString(), reason: values.reason });
    } catch (error) {
      const refusal = domainMessage(error, context.lang);
      if (!refusal) throw error;
      return this.renderDelegations(request, response, staff, { values, errors: [{ fieldId: 'delegateId', message: refusal.message }] }, null, refusal.status);
    }
    response.redirect(303, '/office/approvals/delegations?done=created');
  }

  @Post('delegations/:id/revoke')
  @StaffOnly('approver')
  async revokeDelegation(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.delegations.revoke(staff, id);
    response.redirect(303, '/office/approvals/delegations?done=revoked');
  }

  @Get(':id')
  @StaffOnly('clerk', 'reviewer', 'approver')
  async casePage(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const done = text(request.query.done, 30);
    await this.renderCase(request, response, staff, id, null, OUTCOMES.includes(done) ? done : null);
  }

  /** The decision form: checked, then shown for confirmation; `commit` records it. */
  @Post(':id/decide')
  @StaffOnly('approver')
  async decide(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const rawChoice = text(body.choice, 20);
    const choice = isChoice(rawChoice) ? rawChoice : null;
    const comment = text(body.comment, 1001).trim();
    const errors: FieldError[] = [];
    if (!choice) errors.push({ fieldId: 'choice', message: t('office.approvals.chooseMissing') });
    if (comment.length > 1000) errors.push({ fieldId: 'comment', message: t('office.approvals.commentTooLong') });
    else if (choice && choice !== 'approve' && !comment) errors.push({ fieldId: 'comment', message: t('office.approvals.commentMissing') });
    if (errors.length > 0 || body.commit !== '1') {
      const draft: DecisionDraft = { step: errors.length > 0 ? 'form' : 'confirm', choice, comment, errors };
      return this.renderCase(request, response, staff, id, draft, null, errors.length > 0 ? 400 : 200);
    }
    const revision = Number(text(body.revision, 12)) || undefined;
    const stepText = text(body.step, 4);
    const step = /^\d+$/.test(stepText) ? Number(stepText) : undefined;
    try {
      if (choice === 'approve') await this.decisions.decide(staff, id, 'approve', { revision, step, ...(comment ? { comment } : {}) });
      else if (choice === 'reject') await this.decisions.decide(staff, id, 'reject', { revision, step, reason: comment });
      else await this.decisions.decide(staff, id, 'return', { revision, step, to: choice === 'returnPrevious' ? 'previous' : 'clerk', comment });
    } catch (error) {
      const refusal = domainMessage(error, context.lang);
      if (!refusal) throw error;
      const draft: DecisionDraft = { step: 'form', choice, comment, errors: [{ fieldId: 'choice', message: refusal.message }] };
      return this.renderCase(request, response, staff, id, draft, null, refusal.status);
    }
    response.redirect(303, `/office/approvals/${id}?done=${OUTCOME_OF[choice!]}`);
  }

  private async renderCase(request: Request, response: Response, staff: StaffPrincipal, id: string, draft: DecisionDraft | null, done: string | null, status = 200): Promise<void> {
    const page = await this.decisions.casePage(staff, id);
    const context = await this.pages.of(request);
    const reference = page.referenceNumber ?? id.slice(0, 8);
    const procedureName = context.lang === 'en' ? page.procedureName.en : page.procedureName.ja;
    sendPage(response, context.lang, renderDocument(ApprovalCaseView({ context, page, reference, procedureName, draft, done })), status);
  }

  private async renderDelegations(request: Request, response: Response, staff: StaffPrincipal, draft: DelegationDraft | null, done: 'created' | 'revoked' | null, status = 200): Promise<void> {
    const board = await this.delegations.board(staff);
    const context = await this.pages.of(request);
    sendPage(response, context.lang, renderDocument(DelegationsView({ context, board, draft, done })), status);
  }
}
