import type { ProcedureDefinition } from '@madoguchi/workflow';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'procedure_definitions' })
export class ProcedureDefinitionEntity {
  @PrimaryColumn({ name: 'municipality_id', type: 'text' })
  municipalityId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  definition!: ProcedureDefinition;

  /** SHA-256 of the canonical JSON: a landed version may never change. */
  @Column({ type: 'text' })
  checksum!: string;

  @Column({ type: 'text' })
  source!: 'catalog' | 'published';

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;

  @Column({ name: 'published_by', type: 'text', nullable: true })
  publishedBy!: string | null;
}
