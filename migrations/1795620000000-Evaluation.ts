import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (managers).
 *
 * `evaluation_areas`: the areas of the survey-style self-evaluation
 * (推進体制, 行政手続のオンライン化 …), per municipality. The sample
 * municipality 990001 gets the five areas of the national survey; others add
 * their own through the API. No foreign key to municipalities: the catalog
 * sync creates municipality rows after migrations have run.
 *
 * `evaluation_entries`: append-only. Each save of an area's items, notes
 * and hand-entered (published) rating for a fiscal year is a new revision;
 * the newest revision is the current one and every earlier one stays.
 */
export class Evaluation1795620000000 implements MigrationInterface {
  name = 'Evaluation1795620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE evaluation_areas (
        municipality_id text NOT NULL,
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]{0,39}$'),
        name_ja text NOT NULL,
        name_en text NOT NULL,
        position integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (municipality_id, code)
      );

      CREATE TABLE evaluation_entries (
        municipality_id text NOT NULL,
        area_code text NOT NULL,
        fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
        revision integer NOT NULL CHECK (revision >= 1),
        items jsonb NOT NULL,
        good_points text NOT NULL DEFAULT '',
        points_to_study text NOT NULL DEFAULT '',
        published_rating text CHECK (published_rating IN ('advanced', 'good', 'minorIssues', 'deficient')),
        entered_by text NOT NULL,
        entered_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, area_code, fiscal_year, revision),
        FOREIGN KEY (municipality_id, area_code) REFERENCES evaluation_areas (municipality_id, code)
      );
      CREATE TRIGGER evaluation_entries_append_only BEFORE UPDATE OR DELETE ON evaluation_entries
        FOR EACH ROW EXECUTE FUNCTION forbid_update_delete();

      INSERT INTO evaluation_areas (municipality_id, code, name_ja, name_en, position) VALUES
        ('990001', 'promotion', '推進体制', 'Organisation for digital transformation', 1),
        ('990001', 'online-procedures', '行政手続のオンライン化', 'Online administrative procedures', 2),
        ('990001', 'e-approval', '電子決裁', 'Electronic approval', 3),
        ('990001', 'security', 'セキュリティ', 'Information security', 4),
        ('990001', 'digital-divide', 'デジタルデバイド対策', 'Digital divide measures', 5);

    `);
    // Append-only for the service role as well as by trigger.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'madoguchi_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON evaluation_entries FROM madoguchi_app;
        END IF;
      END $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE evaluation_entries; DROP TABLE evaluation_areas;`);
  }
}
