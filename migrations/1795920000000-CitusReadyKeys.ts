import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citus-ready keys (issue 14): the one product table whose primary key left
 * out `municipality_id`. A My Number OIDC round trip is found by its
 * municipality and the hash of its state (the state names the municipality,
 * libs/identity/src/mynumber-oidc), so on Citus the lookup goes to one
 * shard. State hashes are SHA-256 of 32 random bytes: no two rows shared
 * one before, so the old key comes back on the way down.
 *
 * What else lacks the column is declared, with a reason, in
 * libs/kernel/src/database/distribution.ts (REFERENCE_TABLES,
 * COORDINATOR_TABLES); test/integration/citus-ready-keys.int-spec.ts checks
 * the catalog against it.
 */
export class CitusReadyKeys1795920000000 implements MigrationInterface {
  name = 'CitusReadyKeys1795920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE mynumber_oidc_transactions
        DROP CONSTRAINT mynumber_oidc_transactions_pkey,
        ADD CONSTRAINT mynumber_oidc_transactions_pkey PRIMARY KEY (municipality_id, state_hash)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE mynumber_oidc_transactions
        DROP CONSTRAINT mynumber_oidc_transactions_pkey,
        ADD CONSTRAINT mynumber_oidc_transactions_pkey PRIMARY KEY (state_hash)`);
  }
}
