import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ApplicationEntity, ApplicationRepository, ApplicationWorkflowService } from '@madoguchi/engine';
import { MunicipalityDirectory, type AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, fiscalYearOf, isoDateIn, type MunicipalityId, type OutboxMessage, declareOutboxTopic } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { WorkflowError, WorkflowErrorCode } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { DocumentAssembler, documentKindFor, type IssueTrigger, titleFor } from './content/document-assembler';
import { type DocumentRecord, DocumentsRepository } from './documents.repository';
import type { Bilingual, DocumentKind } from './layout/document-content';
import { formatVerificationCode } from './layout/japanese-format';
import { DocumentRenderer } from './render/document-renderer';
import { newVerificationCode } from './verification-code';

/** The outbox topic of a procedure's issue step (the `issuing` state's effect), and of a 不交付決定. */
export const DOCUMENT_ISSUE_TOPIC = declareOutboxTopic('document.issue');

/** Public page a printed QR code points to. */
export const VERIFY_PATH = '/verify';

export interface IssuedBy {
  kind: 'system' | 'staff' | 'resident';
  id: string | null;
}

/** Payload of a `document.issue` message: what the engine enqueued on entering `issuing` (or the rejection hook). */
interface IssuePayload {
  applicationId?: unknown;
  state?: unknown;
  revision?: unknown;
}

/**
 * Issues documents: gathers the content, draws the serial, renders, hashes
 * and stores, in one transaction per document under a per-application lock.
 *
 * Idempotency: a document is unique per (municipality, application, issue
 * key). The key of the issue step is the revision at which the case entered
 * `issuing`, so a redelivered message finds the document it made and only
 * makes sure the case moved on; a reissue's key names the document it
 * replaces; a receipt's is `receipt`.
 */
@Injectable()
export class DocumentIssuer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentsRepository,
    private readonly applications: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly registry: ProcedureRegistry,
    private readonly assembler: DocumentAssembler,
    private readonly renderer: DocumentRenderer,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The outbox handler of `document.issue`. Safe to run any number of times for one message. */
  async onIssueMessage(message: OutboxMessage): Promise<void> {
    const payload = message.payload as IssuePayload;
    if (typeof payload.applicationId !== 'string') return;
    const municipalityId = message.municipalityId;
    const applicationId = payload.applicationId;
    const trigger: IssueTrigger = payload.state === 'rejected' ? 'rejected' : 'issue';
    const application = await this.applications.find(municipalityId, applicationId);
    // Gone, or already past the step (a redelivery after the case moved on): nothing to do.
    if (!application || application.state !== (trigger === 'rejected' ? 'rejected' : 'issuing')) return;
    const issueKey = `${trigger}:${typeof payload.revision === 'number' ? payload.revision : 'unknown'}`;
    const existing = await this.documents.findByIssueKey(municipalityId, applicationId, issueKey);
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const kind = existing?.kind ?? documentKindFor(compiled.definition, trigger);
    if (!kind) return;
    // Gathered before the transaction: registry and content sources may be slow, and hold no lock.
    const prepared = existing ? null : await this.prepare(application, kind, compiled.definition);
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.documents.lockApplication(manager, municipalityId, applicationId);
        const document =
          (await this.documents.findByIssueKey(municipalityId, applicationId, issueKey, manager)) ??
          (await this.issueIn(manager, application, prepared ?? (await this.prepare(application, kind, compiled.definition)), issueKey, { kind: 'system', id: 'documents' }, null));
        if (trigger === 'issue') {
          // No expected revision: only the state matters, and the machine refuses the event anywhere but `issuing`.
          await this.workflow.transition(
            municipalityId,
            applicationId,
            {
              type: 'document.issued',
              actor: { kind: 'system', id: 'documents' },
              payload: { documentId: document.id, serial: document.serial, kind: document.kind },
            },
            manager,
          );
        }
      });
    } catch (error) {
      // The case left `issuing` between the read and the lock (another delivery
      // finished first, or staff acted): the whole transaction rolled back.
      if (error instanceof WorkflowError && error.code === WorkflowErrorCode.EventNotAllowed) return;
      throw error;
    }
  }

  /** The application's receipt (受付票), issued on first request and the same document after. */
  async receiptFor(application: ApplicationEntity, issuedBy: IssuedBy): Promise<DocumentRecord> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const current = await this.currentReceipt(municipalityId, application.id);
    if (current) return current;
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const prepared = await this.prepare(application, 'receipt', compiled.definition);
    return this.dataSource.transaction(async (manager) => {
      await this.documents.lockApplication(manager, municipalityId, application.id);
      // Concurrent first requests: the one that waited finds the other's receipt.
      const issued = await this.documents.findByIssueKey(municipalityId, application.id, 'receipt', manager);
      if (issued) return (await this.currentReceipt(municipalityId, application.id, manager)) ?? issued;
      return this.issueIn(manager, application, prepared, 'receipt', issuedBy, null);
    });
  }

  /**
   * A new document replacing `document` (new serial, code and hash, content
   * gathered again), with the old one revoked — in one transaction, inside
   * `within` so the caller can audit in it. A second reissue of the same
   * document is refused (it is revoked by then).
   */
  async reissueIn(
    manager: EntityManager,
    application: ApplicationEntity,
    document: DocumentRecord,
    reason: string,
    by: IssuedBy & { kind: 'staff'; id: string },
  ): Promise<DocumentRecord> {
    const compiled = await this.registry.get(application.municipalityId as MunicipalityId, application.procedureCode, application.procedureVersion);
    const prepared = await this.prepare(application, document.kind, compiled.definition, document.title);
    const replacement = await this.issueIn(manager, application, prepared, `reissue:${document.id}`, by, document.id);
    await this.documents.revoke(manager, application.municipalityId as MunicipalityId, document.id, {
      at: replacement.issuedAt,
      by: by.id,
      reason,
      replacedBy: replacement.id,
    });
    return replacement;
  }

  private async currentReceipt(municipalityId: MunicipalityId, applicationId: string, manager?: EntityManager): Promise<DocumentRecord | null> {
    let receipt = await this.documents.findByIssueKey(municipalityId, applicationId, 'receipt', manager);
    // Follow reissues to the one in force.
    for (let hops = 0; receipt?.replacedBy && hops < 100; hops += 1) receipt = await this.documents.find(municipalityId, receipt.replacedBy, manager);
    return receipt?.status === 'issued' ? receipt : null;
  }

  private async prepare(application: ApplicationEntity, kind: DocumentKind, definition: Parameters<typeof titleFor>[0], title?: Bilingual) {
    const settings = this.settings(application.municipalityId as MunicipalityId);
    const { content, sample } = await this.assembler.content(application, definition, kind, settings.timeZone);
    // A grant decision may turn out to be a non-grant (the decision record says which).
    return { kind: content.kind, title: title ?? titleFor(definition, content.kind), content, sample };
  }

  private async issueIn(
    manager: EntityManager,
    application: ApplicationEntity,
    prepared: Awaited<ReturnType<DocumentIssuer['prepare']>>,
    issueKey: string,
    issuedBy: IssuedBy,
    replaces: string | null,
  ): Promise<DocumentRecord> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const settings = this.settings(municipalityId);
    const issuedAt = this.clock.now();
    const issuedOn = isoDateIn(issuedAt, settings.timeZone);
    const { fiscalYear, era } = fiscalYearOf(issuedOn, settings.fiscalYearStartMonth);
    const series = prepared.kind === 'receipt' ? 'U' : 'C';
    const sequence = await this.documents.nextSerial(manager, municipalityId, series, fiscalYear);
    const serial = `${era.letter}${era.year}-${series}${String(sequence).padStart(6, '0')}`;
    const verificationCode = newVerificationCode();
    const { pdf, printed } = await this.renderer.render(
      {
        municipality: { id: municipalityId, name: settings.name },
        timeZone: settings.timeZone,
        title: prepared.title,
        serial,
        issuedOn,
        verificationCode,
        verifyUrl: verifyUrl(this.config.publicBaseUrl, municipalityId, verificationCode),
        sample: prepared.sample,
      },
      prepared.content,
      issuedAt,
    );
    const record: DocumentRecord = {
      municipalityId,
      id: randomUUID(),
      applicationId: application.id,
      kind: prepared.kind,
      title: prepared.title,
      serial,
      fiscalYear,
      issueKey,
      verificationCode,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      byteSize: pdf.length,
      printed,
      status: 'issued',
      issuedAt,
      issuedBy,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
      replaces,
      replacedBy: null,
    };
    await this.documents.insert(manager, municipalityId, { ...record, pdf });
    return record;
  }

  private settings(municipalityId: MunicipalityId) {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    return settings;
  }
}

/** The public verification page of a code; `m` names the municipality for instances that serve several. */
export function verifyUrl(publicBaseUrl: string, municipalityId: string, verificationCode: string): string {
  return `${publicBaseUrl}${VERIFY_PATH}/${formatVerificationCode(verificationCode)}?m=${municipalityId}`;
}
