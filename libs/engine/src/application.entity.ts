import type { Channel, PersistedSnapshot, StatePhase } from '@madoguchi/workflow';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'applications' })
export class ApplicationEntity {
  @PrimaryColumn({ name: 'municipality_id', type: 'text' })
  municipalityId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'procedure_code', type: 'text' })
  procedureCode!: string;

  @Column({ name: 'procedure_version', type: 'integer' })
  procedureVersion!: number;

  /** 受付番号, assigned on submission. */
  @Column({ name: 'reference_number', type: 'text', nullable: true })
  referenceNumber!: string | null;

  @Column({ type: 'text' })
  channel!: Channel;

  @Column({ name: 'applicant_id', type: 'text', nullable: true })
  applicantId!: string | null;

  /** Staff member who entered a counter application. */
  @Column({ name: 'entered_by', type: 'text', nullable: true })
  enteredBy!: string | null;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text' })
  phase!: StatePhase;

  @Column({ type: 'jsonb' })
  snapshot!: PersistedSnapshot;

  @Column({ name: 'form_data', type: 'jsonb' })
  formData!: Record<string, unknown>;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** Department owning the procedure version at creation: whose queue the case is in. */
  @Column({ type: 'text' })
  department!: string;

  /** Due date (YYYY-MM-DD) from the standard processing time; null without one and while paused. */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  /** When the due-date clock paused (returned for correction); null while it runs. */
  @Column({ name: 'due_paused_at', type: 'timestamptz', nullable: true })
  duePausedAt!: Date | null;

  /** Business days that were left when the clock paused. */
  @Column({ name: 'due_remaining_days', type: 'integer', nullable: true })
  dueRemainingDays!: number | null;

  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'claim_active_at', type: 'timestamptz', nullable: true })
  claimActiveAt!: Date | null;
}
