import { staffReadDetails } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { StaffRepository, type StaffPrincipal } from '@madoguchi/identity';
import { Clock } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApplicationAccessService } from '../application-access.service';
import { CaseWorkRepository } from './case-work.repository';
import type { NoteDto } from './dto/case-work.dto';

/**
 * Internal notes (内部メモ) on an application: for staff of the departments
 * that own the procedure, never shown to the resident (no resident route
 * reads this table). Notes are never edited or deleted; a correction is a
 * new note. Reading them is a read of case data and is audited like
 * GET /staff/applications/:id.
 */
@Injectable()
export class CaseNotesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccessService,
    private readonly notes: CaseWorkRepository,
    private readonly staffAccounts: StaffRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async add(staff: StaffPrincipal, applicationId: string, body: string): Promise<NoteDto> {
    await this.access.staffCase(staff, applicationId);
    const note = { id: randomUUID(), authorId: staff.id, body, createdAt: this.clock.now() };
    await this.dataSource.transaction(async (manager) => {
      await this.notes.insertNote(manager, staff.municipalityId, applicationId, note);
      // The body is free text about a person: the log names the note, never its words.
      await this.audit.record(
        staff.municipalityId,
        { actor: { kind: 'staff', id: staff.id }, action: AuditActions.ApplicationNoteAdded, target: { type: 'application', id: applicationId }, details: { noteId: note.id } },
        manager,
      );
    });
    const author = await this.staffAccounts.findById(staff.municipalityId, staff.id);
    return { id: note.id, body: note.body, author: { id: staff.id, name: author?.displayName ?? null }, createdAt: note.createdAt.toISOString() };
  }

  async list(staff: StaffPrincipal, applicationId: string): Promise<NoteDto[]> {
    const application = await this.access.staffCase(staff, applicationId);
    const notes = await this.notes.notes(staff.municipalityId, applicationId);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id: applicationId },
      details: { fields: ['notes'], count: notes.length, ...staffReadDetails(application, 'notes') },
    });
    const names = new Map<string, string | null>();
    for (const authorId of new Set(notes.map((note) => note.authorId))) {
      names.set(authorId, (await this.staffAccounts.findById(staff.municipalityId, authorId))?.displayName ?? null);
    }
    return notes.map((note) => ({
      id: note.id,
      body: note.body,
      author: { id: note.authorId, name: names.get(note.authorId) ?? null },
      createdAt: note.createdAt.toISOString(),
    }));
  }
}
