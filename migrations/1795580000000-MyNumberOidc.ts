import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * My Number Card in the browser (issue 11, item 4).
 *
 * `mynumber_oidc_transactions`: one row per OpenID Connect round trip the
 * portal starts (sign-in, or signing an application). Kept on the server,
 * keyed by the SHA-256 of `state`, so the browser carries nothing but the
 * state and a binding cookie; the PKCE verifier never leaves the server. A
 * row is consumed once (`used_at`) and lives ten minutes.
 *
 * `simulated_digital_auth_card_locks`: wrong PIN / signing password counts
 * of the simulated service's software cards, so a card locks after 3 wrong
 * PINs (5 wrong signing passwords) across restarts and processes, like a
 * real card. Not municipality data: the simulator stands in for another
 * organisation's service.
 */
export class MyNumberOidc1795580000000 implements MigrationInterface {
  name = 'MyNumberOidc1795580000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mynumber_oidc_transactions (
        state_hash text PRIMARY KEY,
        municipality_id text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('login', 'sign')),
        browser_hash text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        resident_id uuid,
        target_kind text,
        target_id text,
        content_hash text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        CHECK (purpose = 'login' OR (resident_id IS NOT NULL AND target_kind IS NOT NULL AND target_id IS NOT NULL AND content_hash IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX mynumber_oidc_transactions_expiry ON mynumber_oidc_transactions (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE simulated_digital_auth_card_locks (
        card_id text NOT NULL,
        secret_kind text NOT NULL CHECK (secret_kind IN ('pin', 'signingPassword')),
        failures integer NOT NULL DEFAULT 0,
        locked_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (card_id, secret_kind)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE simulated_digital_auth_card_locks`);
    await queryRunner.query(`DROP TABLE mynumber_oidc_transactions`);
  }
}
