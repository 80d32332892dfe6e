import type { ActorKind } from '@madoguchi/workflow';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only: a database trigger refuses UPDATE and DELETE. */
@Entity({ name: 'application_events' })
export class ApplicationEventEntity {
  @PrimaryColumn({ name: 'municipality_id', type: 'text' })
  municipalityId!: string;

  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  /** The application's revision after this event. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: ActorKind;

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'from_state', type: 'text' })
  fromState!: string;

  @Column({ name: 'to_state', type: 'text' })
  toState!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
