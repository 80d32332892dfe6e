import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId, sha256Hex } from '@madoguchi/kernel';
import { ProcedureError, ProcedureErrorCode, ProcedurePublishingService, ProcedureRegistry, ProceduresService } from '@madoguchi/procedures';
import { CompiledProcedure, type DefinitionError, type LocalizedText, parseDefinition, type ProcedureDefinition } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import {
  DEFAULT_DRY_RUN_SAMPLE,
  type DryRunRequestDto,
  type DryRunView,
  type ProcedureDiffView,
  type ProcedureDraftCreateDto,
  type ProcedureDraftView,
  type PublishedDraftView,
} from '../dto/procedure-draft.dto';
import { REPORTING_ROLES, requireRole } from '../reporting-access';
import { ProcedureDraftError } from '../reporting.errors';
import { diffDefinitions } from './procedure-diff';
import { dryRun, type DryRunReport } from './procedure-dry-run';
import { type ProcedureDraftRow, ProcedureDraftRepository, type ProcedureDraftSummaryRow } from './procedure-draft.repository';

/** Drafts the list page shows at most (newest first per procedure). */
const DRAFT_LIST_LIMIT = 500;

/** A procedure as the list of procedures and drafts shows it; `version` null: only drafted, never published. */
export interface ProcedureWithDrafts {
  code: string;
  name: LocalizedText | null;
  version: number | null;
  drafts: ProcedureDraftSummaryRow[];
}

export type PublishBlocker = 'published' | 'none' | 'textChanged' | 'baseChanged';

/**
 * Why a draft may not be published yet, or null when it may: the same rule
 * the publish call enforces, for pages that offer the button only when it
 * would be accepted.
 */
export function publishBlocker(
  draft: { publishedVersion: number | null; dryRun: { matchesText: boolean; baseVersion: number | null } | null },
  latestVersion: number | null,
): PublishBlocker | null {
  if (draft.publishedVersion !== null) return 'published';
  if (!draft.dryRun) return 'none';
  if (!draft.dryRun.matchesText) return 'textChanged';
  if (draft.dryRun.baseVersion !== latestVersion) return 'baseChanged';
  return null;
}

/**
 * Procedure versions tried before they go live: a draft is YAML text checked
 * by the same validator as the catalog, compared with the published version,
 * replayed against that version's recorded cases in memory, and published
 * through the same publishing service as any run-time version, only after a
 * dry run of exactly its current text against the current version.
 */
@Injectable()
export class ProcedureDraftsService {
  constructor(
    private readonly drafts: ProcedureDraftRepository,
    private readonly registry: ProcedureRegistry,
    private readonly publishing: ProcedurePublishingService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly procedures: ProceduresService,
  ) {}

  /** Every published procedure with its current version, and the drafts of each (a draft of a new code forms its own row). */
  async overview(staff: StaffPrincipal): Promise<ProcedureWithDrafts[]> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const [definitions, drafts] = await Promise.all([this.procedures.latestDefinitions(staff.municipalityId), this.drafts.list(staff.municipalityId, DRAFT_LIST_LIMIT)]);
    const rows = new Map<string, ProcedureWithDrafts>(definitions.map((definition) => [definition.code, { code: definition.code, name: definition.name, version: definition.version, drafts: [] }]));
    for (const draft of drafts) {
      if (!rows.has(draft.code)) rows.set(draft.code, { code: draft.code, name: null, version: null, drafts: [] });
      rows.get(draft.code)!.drafts.push(draft);
    }
    return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The current version's definition as YAML with the next version number: where an edited draft starts. */
  async template(staff: StaffPrincipal, code: string): Promise<{ code: string; version: number; yaml: string }> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const current = await this.registry.latest(staff.municipalityId, code);
    const version = current.definition.version + 1;
    return { code, version, yaml: stringify({ ...current.definition, version }, { lineWidth: 0 }) };
  }

  /** The published version a draft would follow (null: none yet), and whether publishing it would be accepted now. */
  async readiness(staff: StaffPrincipal, draft: ProcedureDraftView): Promise<{ latestVersion: number | null; blocker: PublishBlocker | null }> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const latestVersion = (await this.current(staff.municipalityId, draft.code))?.definition.version ?? null;
    return { latestVersion, blocker: publishBlocker({ publishedVersion: draft.published?.version ?? null, dryRun: draft.dryRun }, latestVersion) };
  }

  /** 受付番号 of the cases a dry run names as examples (by application id). */
  async referenceNumbers(staff: StaffPrincipal, applicationIds: readonly string[]): Promise<Map<string, string | null>> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    return this.drafts.referenceNumbers(staff.municipalityId, applicationIds);
  }

  async create(staff: StaffPrincipal, input: ProcedureDraftCreateDto): Promise<ProcedureDraftView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const definition = await this.parse(staff.municipalityId, input.yaml, input.fileName);
    const row = await this.drafts.insert(staff.municipalityId, {
      id: randomUUID(),
      code: definition.code,
      version: definition.version,
      sourceText: input.yaml,
      textHash: sha256Hex(input.yaml),
      by: staff.id,
      at: this.clock.now(),
    });
    return view(row);
  }

  async get(staff: StaffPrincipal, id: string): Promise<ProcedureDraftView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    return view(await this.find(staff.municipalityId, id));
  }

  async update(staff: StaffPrincipal, id: string, input: ProcedureDraftCreateDto): Promise<ProcedureDraftView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const existing = await this.find(staff.municipalityId, id);
    if (existing.publishedVersion !== null) throw ProcedureDraftError.published(id, existing.publishedVersion);
    const definition = await this.parse(staff.municipalityId, input.yaml, input.fileName);
    const row = await this.drafts.updateText(staff.municipalityId, id, {
      code: definition.code,
      version: definition.version,
      sourceText: input.yaml,
      textHash: sha256Hex(input.yaml),
      at: this.clock.now(),
    });
    if (!row) throw ProcedureDraftError.published(id, existing.version);
    return view(row);
  }

  async diff(staff: StaffPrincipal, id: string): Promise<ProcedureDiffView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const draft = await this.find(staff.municipalityId, id);
    const definition = await this.parse(staff.municipalityId, draft.sourceText, undefined, false);
    const current = await this.current(staff.municipalityId, draft.code);
    return { draftId: id, ...diffDefinitions(current?.definition ?? null, definition) };
  }

  /**
   * Replays the last N submitted cases of the current version against the
   * draft's machine. Reads only; the report is kept on the draft so that
   * publishing can tell whether this exact text was tried.
   */
  async dryRun(staff: StaffPrincipal, id: string, input: DryRunRequestDto): Promise<DryRunView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const draft = await this.find(staff.municipalityId, id);
    if (draft.publishedVersion !== null) throw ProcedureDraftError.published(id, draft.publishedVersion);
    const definition = await this.parse(staff.municipalityId, draft.sourceText, undefined, false);
    const sample = input.sample ?? DEFAULT_DRY_RUN_SAMPLE;
    const current = await this.current(staff.municipalityId, draft.code);
    const cases = current ? await this.drafts.recordedCases(staff.municipalityId, draft.code, current.definition.version, sample) : [];
    // Encrypted answers of the old version are ciphertext: not checked under either version's schema.
    const report = dryRun(new CompiledProcedure(definition), cases, current?.sensitivePaths ?? []);
    const at = this.clock.now();
    const baseVersion = current?.definition.version ?? null;
    const saved = await this.drafts.saveDryRun(staff.municipalityId, id, { report: { ...report, baseVersion }, textHash: draft.textHash, baseVersion, at });
    // Edited (or published) while the replay ran: the report describes a text that is gone.
    if (!saved) throw ProcedureDraftError.dryRunRequired('textChanged');
    return { draftId: id, code: draft.code, baseVersion, draftVersion: definition.version, sample, at: at.toISOString(), report };
  }

  async publish(staff: StaffPrincipal, id: string): Promise<PublishedDraftView> {
    requireRole(staff, REPORTING_ROLES.procedureDrafts);
    const draft = await this.find(staff.municipalityId, id);
    if (draft.publishedVersion !== null) throw ProcedureDraftError.published(id, draft.publishedVersion);
    const latest = (await this.current(staff.municipalityId, draft.code))?.definition.version ?? null;
    const dryRun = draft.dryRunTextHash === null ? null : { matchesText: draft.dryRunTextHash === draft.textHash, baseVersion: draft.dryRunBaseVersion };
    const blocker = publishBlocker({ publishedVersion: null, dryRun }, latest);
    if (blocker) throw ProcedureDraftError.dryRunRequired(blocker as Exclude<PublishBlocker, 'published'>);
    const definition = await this.parse(staff.municipalityId, draft.sourceText, undefined, false);
    // The same path as every run-time version: validation, version order, insert, audit.
    await this.publishing.publish(staff.municipalityId, definition, staff.id);
    const at = this.clock.now();
    await this.drafts.markPublished(staff.municipalityId, id, { textHash: draft.textHash, version: definition.version, by: staff.id, at });
    return { draftId: id, code: definition.code, version: definition.version, publishedBy: staff.id, publishedAt: at.toISOString() };
  }

  private async find(municipalityId: MunicipalityId, id: string): Promise<ProcedureDraftRow> {
    // A malformed id cannot name a draft; say so without asking PostgreSQL to cast it.
    const row = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await this.drafts.find(municipalityId, id) : null;
    if (!row) throw ProcedureDraftError.notFound(id);
    return row;
  }

  private async current(municipalityId: MunicipalityId, code: string): Promise<CompiledProcedure | null> {
    try {
      return await this.registry.latest(municipalityId, code);
    } catch (error) {
      if (error instanceof ProcedureError && error.code === ProcedureErrorCode.NotFound) return null;
      throw error;
    }
  }

  /**
   * Parses and validates with the catalog's own validator, and checks the
   * version follows the published one (publishing would refuse it anyway;
   * saying so on upload saves a dry run). `checkVersion` is off once stored:
   * a stored draft whose version fell behind is refused at publishing.
   */
  private async parse(municipalityId: MunicipalityId, text: string, fileName = 'draft.yaml', checkVersion = true): Promise<ProcedureDefinition> {
    const departments = this.directory.get(municipalityId)?.departments.map((department) => department.code) ?? [];
    const { definition, errors } = parseDefinition(text, fileName, { departments });
    if (!definition) throw ProcedureDraftError.invalid(errors);
    if (checkVersion) {
      const latest = (await this.current(municipalityId, definition.code))?.definition.version ?? null;
      const expected = (latest ?? 0) + 1;
      if (definition.version !== expected) {
        const error: DefinitionError = { file: fileName, path: '/version', reason: `must be ${expected}: the published version of "${definition.code}" is ${latest ?? 'none'}` };
        throw ProcedureDraftError.invalid([error]);
      }
    }
    return definition;
  }
}

function view(row: ProcedureDraftRow): ProcedureDraftView {
  const { baseVersion: _base, ...report } = row.dryRun ?? { baseVersion: null };
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    yaml: row.sourceText,
    textHash: row.textHash,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    dryRun:
      row.dryRun && row.dryRunAt
        ? { at: row.dryRunAt.toISOString(), baseVersion: row.dryRunBaseVersion, matchesText: row.dryRunTextHash === row.textHash, report: report as DryRunReport }
        : null,
    published: row.publishedVersion !== null && row.publishedAt ? { version: row.publishedVersion, by: row.publishedBy ?? '', at: row.publishedAt.toISOString() } : null,
  };
}
