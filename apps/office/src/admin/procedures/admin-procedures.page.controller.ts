import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { MAX_DRAFT_TEXT, MAX_DRY_RUN_SAMPLE, ProcedureDraftError, ProcedureDraftsService, DEFAULT_DRY_RUN_SAMPLE, type ProcedureDraftView } from '@madoguchi/reporting';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { DefinitionError } from '@madoguchi/workflow';
import type { Request, Response } from 'express';
import { sendPage } from '../../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../../shared/office-context';
import { OfficePageController } from '../../shared/office-page.controller';
import { uploadLimitExceeded } from '../../shared/multipart-upload';
import { definitionFieldErrors, draftPath, DraftFormView, DraftView, DryRunReportView, ProcedureListView, PublishConfirmView, PublishedView } from './admin-procedures.view';

const uuid = new ParseUUIDPipe();
const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A file name the JSON route accepts for its errors; anything else is named `upload.yaml`. */
const FILE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

type UploadedFile = { buffer: Buffer; originalname?: string };

/**
 * /office/admin/procedures: procedure versions tried before they go live, on
 * ProcedureDraftsService as /api/v1/admin/procedure-drafts uses it. A draft
 * is typed or uploaded (multipart, parsed by DefinitionUploadMiddleware),
 * compared with the current version, dry-run against recorded cases (a POST
 * that stores its report, then the report page), and published after a
 * confirmation, only when the last dry run is of exactly its text against
 * the current version (the service refuses otherwise too).
 */
@StaffOnly('administrator')
@OfficePageController('admin/procedures')
export class AdminProceduresPageController {
  constructor(
    private readonly drafts: ProcedureDraftsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const procedures = await this.drafts.overview(staff);
    sendPage(response, context.lang, renderDocument(ProcedureListView({ context, procedures })));
  }

  /** A new draft: blank, or `?code=` the current version's text with the next version number. */
  @Get('new')
  async form(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const code = typeof request.query.code === 'string' && CODE.test(request.query.code) ? request.query.code : null;
    const yaml = code ? (await this.drafts.template(staff, code)).yaml : '';
    sendPage(response, context.lang, renderDocument(DraftFormView({ context, draft: null, yaml, errors: [], definitionErrors: [] })));
  }

  @Post('drafts')
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const input = this.input(context, request);
    if ('errors' in input) return this.formAgain(response, context, null, input.yaml, input.errors, []);
    try {
      const draft = await this.drafts.create(staff, input);
      response.redirect(303, `${draftPath(draft.id)}?done=created`);
    } catch (error) {
      this.refusedDefinition(error, response, context, null, input.yaml);
    }
  }

  @Get('drafts/:id')
  async draft(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const done = request.query.done;
    await this.renderDraft(request, response, staff, id, { notice: done === 'created' || done === 'saved' ? done : null, sample: String(DEFAULT_DRY_RUN_SAMPLE), errors: [] }, 200);
  }

  @Get('drafts/:id/edit')
  async edit(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    if (draft.published) throw ProcedureDraftError.published(id, draft.published.version);
    sendPage(response, context.lang, renderDocument(DraftFormView({ context, draft, yaml: draft.yaml, errors: [], definitionErrors: [] })));
  }

  @Post('drafts/:id')
  async update(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    const input = this.input(context, request);
    if ('errors' in input) return this.formAgain(response, context, draft, input.yaml, input.errors, []);
    try {
      await this.drafts.update(staff, id, input);
      response.redirect(303, `${draftPath(id)}?done=saved`);
    } catch (error) {
      this.refusedDefinition(error, response, context, draft, input.yaml);
    }
  }

  @Post('drafts/:id/dry-run')
  async dryRun(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const raw = typeof request.body?.sample === 'string' ? request.body.sample.trim().slice(0, 10) : '';
    const sample = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(sample >= 1 && sample <= MAX_DRY_RUN_SAMPLE)) {
      const errors = [{ fieldId: 'sample', message: context.t('office.procedures.dryRun.sampleInvalid', { max: MAX_DRY_RUN_SAMPLE }) }];
      return this.renderDraft(request, response, staff, id, { notice: null, sample: raw, errors }, 400);
    }
    await this.drafts.dryRun(staff, id, { sample });
    response.redirect(303, draftPath(id, '/dry-run?done=1'));
  }

  @Get('drafts/:id/dry-run')
  async report(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    // No dry run yet: the draft page, where it is started.
    if (!draft.dryRun) return response.redirect(303, draftPath(id));
    const { report } = draft.dryRun;
    const ids = [...report.refused, ...report.differentState, ...report.formProblems].flatMap((group) => group.examples);
    const [references, { latestVersion, blocker }] = await Promise.all([this.drafts.referenceNumbers(staff, [...new Set(ids)]), this.drafts.readiness(staff, draft)]);
    const view = DryRunReportView({ context, draft: { ...draft, dryRun: draft.dryRun }, references, latestVersion, blocker, justRun: request.query.done === '1' });
    sendPage(response, context.lang, renderDocument(view));
  }

  /** The confirmation, offered only when publishing would be accepted: otherwise the reason (409), as the service would answer. */
  @Get('drafts/:id/publish')
  async confirmPublish(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    const { latestVersion, blocker } = await this.drafts.readiness(staff, draft);
    if (blocker === 'published') throw ProcedureDraftError.published(id, draft.published!.version);
    if (blocker) throw ProcedureDraftError.dryRunRequired(blocker);
    sendPage(response, context.lang, renderDocument(PublishConfirmView({ context, draft, latestVersion })));
  }

  @Post('drafts/:id/publish')
  async publish(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.drafts.publish(staff, id);
    response.redirect(303, draftPath(id, '/published'));
  }

  @Get('drafts/:id/published')
  async published(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    if (!draft.published) return response.redirect(303, draftPath(id));
    sendPage(response, context.lang, renderDocument(PublishedView({ context, draft: { ...draft, published: draft.published } })));
  }

  private async renderDraft(request: Request, response: Response, staff: StaffPrincipal, id: string, state: { notice: 'created' | 'saved' | null; sample: string; errors: FieldError[] }, status: number): Promise<void> {
    const context = await this.pages.of(request);
    const draft = await this.drafts.get(staff, id);
    const [diff, { latestVersion, blocker }] = await Promise.all([this.drafts.diff(staff, id), this.drafts.readiness(staff, draft)]);
    sendPage(response, context.lang, renderDocument(DraftView({ context, draft, diff, latestVersion, blocker, ...state })), status);
  }

  /** The text from the file when one was chosen, else from the textarea; the form's own checks. */
  private input(context: OfficeContext, request: Request): { yaml: string; fileName: string } | { yaml: string; errors: FieldError[] } {
    const { t } = context;
    const typed = typeof request.body?.yaml === 'string' ? request.body.yaml : '';
    if (uploadLimitExceeded(request)) return { yaml: typed.slice(0, MAX_DRAFT_TEXT), errors: [{ fieldId: 'file', message: t('office.procedures.fileTooLarge') }] };
    const file = (request as Request & { file?: UploadedFile }).file;
    const uploaded = file && file.buffer.length > 0 ? file.buffer.toString('utf8').replace(/^\uFEFF/, '') : null;
    const yaml = (uploaded ?? typed).replace(/\r\n/g, '\n');
    if (yaml.trim() === '') return { yaml: '', errors: [{ fieldId: 'yaml', message: t('office.procedures.yamlMissing') }] };
    if (yaml.length > MAX_DRAFT_TEXT) return { yaml: '', errors: [{ fieldId: uploaded ? 'file' : 'yaml', message: t('office.procedures.fileTooLarge') }] };
    const name = uploaded && file?.originalname && FILE_NAME.test(file.originalname) ? file.originalname : uploaded ? 'upload.yaml' : 'draft.yaml';
    return { yaml, fileName: name };
  }

  /** A definition the validator refused: 400, the summary and the table of file, path and reason beside the text. */
  private refusedDefinition(error: unknown, response: Response, context: OfficeContext, draft: ProcedureDraftView | null, yaml: string): void {
    if (!(error instanceof ProcedureDraftError) || error.httpStatus !== 422) throw error;
    const definitionErrors = ((error.details?.errors as DefinitionError[] | undefined) ?? []).slice(0, 200);
    this.formAgain(response, context, draft, yaml, definitionFieldErrors(definitionErrors), definitionErrors);
  }

  private formAgain(response: Response, context: OfficeContext, draft: ProcedureDraftView | null, yaml: string, errors: FieldError[], definitionErrors: DefinitionError[]): void {
    sendPage(response, context.lang, renderDocument(DraftFormView({ context, draft, yaml, errors, definitionErrors })), 400);
  }
}
