import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'municipalities' })
export class MunicipalityEntity {
  @PrimaryColumn({ name: 'municipality_id', type: 'text' })
  municipalityId!: string;

  @Column({ name: 'name_ja', type: 'text' })
  nameJa!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  /** The validated settings file, as loaded at the last boot. */
  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
