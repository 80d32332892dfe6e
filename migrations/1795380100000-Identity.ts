import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Residents and staff, their sessions and one-time tokens, rate-limit
 * buckets, JPKI nonces, CRLs and application signatures, departments.
 * Secrets are stored only as hashes; the individual number only encrypted.
 */
export class Identity1795380100000 implements MigrationInterface {
  name = 'Identity1795380100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE departments (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]*$'),
        name_ja text NOT NULL,
        name_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, code)
      );

      CREATE TABLE residents (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        email text,
        email_verified_at timestamptz,
        password_hash text,
        password_changed_at timestamptz,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        jpki_subject text,
        individual_number_enc text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        CHECK (email IS NOT NULL OR jpki_subject IS NOT NULL)
      );
      CREATE UNIQUE INDEX residents_email ON residents (municipality_id, lower(email)) WHERE email IS NOT NULL;
      CREATE UNIQUE INDEX residents_jpki_subject ON residents (municipality_id, jpki_subject) WHERE jpki_subject IS NOT NULL;

      CREATE TABLE staff (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        login_id text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        password_changed_at timestamptz,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['clerk', 'reviewer', 'approver', 'manager', 'administrator'] AND cardinality(roles) > 0),
        approval_level text CHECK (approval_level IN ('kakaricho', 'kacho', 'bucho')),
        departments text[] NOT NULL DEFAULT '{}',
        totp_secret_enc text,
        totp_enabled_at timestamptz,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, id),
        UNIQUE (municipality_id, login_id),
        CHECK (('approver' = ANY (roles)) = (approval_level IS NOT NULL))
      );

      CREATE TABLE sessions (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        id uuid NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('resident', 'staff')),
        subject_id uuid NOT NULL,
        transport text NOT NULL CHECK (transport IN ('bearer', 'cookie')),
        auth_method text NOT NULL,
        family_id uuid NOT NULL,
        access_hash text NOT NULL,
        access_expires_at timestamptz NOT NULL,
        refresh_hash text,
        refresh_expires_at timestamptz,
        -- The refresh token this session was ended by rotating; presenting it
        -- again means it was stolen, and the whole family is revoked.
        used_refresh_hash text,
        csrf_secret text,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        PRIMARY KEY (municipality_id, id)
      );
      CREATE UNIQUE INDEX sessions_access ON sessions (municipality_id, access_hash);
      CREATE UNIQUE INDEX sessions_refresh ON sessions (municipality_id, refresh_hash) WHERE refresh_hash IS NOT NULL;
      CREATE INDEX sessions_used_refresh ON sessions (municipality_id, used_refresh_hash) WHERE used_refresh_hash IS NOT NULL;
      CREATE INDEX sessions_subject ON sessions (municipality_id, subject_kind, subject_id) WHERE revoked_at IS NULL;

      CREATE TABLE one_time_tokens (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        token_hash text NOT NULL,
        subject_kind text NOT NULL,
        subject_id uuid NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('verifyEmail', 'resetPassword')),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, token_hash)
      );

      CREATE TABLE rate_limits (
        municipality_id text NOT NULL,
        bucket text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (municipality_id, bucket, window_start)
      );

      CREATE TABLE jpki_nonces (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        nonce_hash text NOT NULL,
        purpose text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, nonce_hash)
      );

      CREATE TABLE jpki_crls (
        municipality_id text NOT NULL REFERENCES municipalities (municipality_id),
        issuer text NOT NULL,
        this_update timestamptz NOT NULL,
        next_update timestamptz,
        der bytea NOT NULL,
        loaded_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, issuer, this_update)
      );

      CREATE TABLE application_signatures (
        municipality_id text NOT NULL,
        application_id uuid NOT NULL,
        content_hash text NOT NULL,
        record jsonb NOT NULL,
        basic4 jsonb NOT NULL,
        signed_at timestamptz NOT NULL,
        PRIMARY KEY (municipality_id, application_id, content_hash),
        FOREIGN KEY (municipality_id, application_id) REFERENCES applications (municipality_id, id)
      );

      ALTER TABLE applications ADD COLUMN signature_hash text;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE applications DROP COLUMN signature_hash;
      DROP TABLE application_signatures, jpki_crls, jpki_nonces, rate_limits, one_time_tokens, sessions, staff, residents, departments;
    `);
  }
}
