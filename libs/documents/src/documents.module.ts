import path from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import { EngineModule, TransitionHooks } from '@madoguchi/engine';
import { ApprovalsModule } from '@madoguchi/approvals';
import { AuditModule } from '@madoguchi/audit';
import type { AppConfig } from '@madoguchi/config';
import { IdentityModule } from '@madoguchi/identity';
import { APP_CONFIG, OutboxHandlerRegistry } from '@madoguchi/kernel';
import { ProceduresModule } from '@madoguchi/procedures';
import { DocumentAssembler } from './content/document-assembler';
import { DocumentContentSources } from './content/document-content-sources';
import { DOCUMENT_ISSUE_TOPIC, DocumentIssuer } from './document-issuer.service';
import { ResidentDocumentsController, StaffDocumentsController, VerificationController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { NonGrantNoticeHook } from './non-grant-notice.hook';
import { RESIDENT_REGISTRY } from './registry/resident-registry';
import { SampleResidentRegistry } from './registry/sample-resident-registry';
import { DocumentRenderer } from './render/document-renderer';
import { VerificationService } from './verification/verification.service';

/**
 * Issued documents (証明書・通知書・許可証・受付票): content from the
 * application, the resident registry and content sources; rendering with
 * pdf-lib and an embedded Japanese font; serials, hashes, verification
 * codes, revocation and reissue; the public verification page.
 *
 * Owns the issue step (`document.issue` from the outbox) and the documents
 * tables. Never changes an application except through the engine
 * (`document.issued`), never keeps registry data outside the PDF and what
 * it prints, and never logs personal data.
 */
@Module({
  imports: [EngineModule, ApprovalsModule, AuditModule, IdentityModule, ProceduresModule],
  controllers: [ResidentDocumentsController, StaffDocumentsController, VerificationController],
  providers: [
    DocumentContentSources,
    DocumentsRepository,
    DocumentRenderer,
    DocumentAssembler,
    DocumentIssuer,
    DocumentsService,
    VerificationService,
    NonGrantNoticeHook,
    // The built-in sample of fictitious residents; a municipality binds its core system here instead.
    {
      provide: RESIDENT_REGISTRY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SampleResidentRegistry(path.join(config.configDir, 'registry')),
    },
  ],
  exports: [DocumentContentSources, DocumentIssuer, DocumentsService, VerificationService, RESIDENT_REGISTRY],
})
export class DocumentsModule implements OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlerRegistry,
    private readonly hooks: TransitionHooks,
    private readonly issuer: DocumentIssuer,
    private readonly nonGrantNotice: NonGrantNoticeHook,
  ) {}

  onModuleInit(): void {
    this.handlers.register(DOCUMENT_ISSUE_TOPIC, (message) => this.issuer.onIssueMessage(message));
    this.hooks.register(this.nonGrantNotice);
  }
}
