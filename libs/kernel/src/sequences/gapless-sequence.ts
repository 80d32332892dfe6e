import type { EntityManager } from 'typeorm';
import type { MunicipalityId } from '../tenancy/municipality-id';

/**
 * Gap-free numbers per municipality: 受付番号, 指令番号, counter tickets,
 * receipts, booking numbers and document serials all come from one table,
 * `tenant_sequences (municipality_id, sequence, scope, last_value)`.
 *
 * A draw is one upsert that adds 1 to the row of (municipality, sequence,
 * scope), creating it at 1. It runs in the caller's transaction and its row
 * lock is held until that transaction ends: the next draw of the same row
 * waits, a rollback gives the number back, so the numbers committed are
 * 1..N with no gap and no duplicate. Draws of other rows (another
 * municipality, sequence or scope) do not wait for each other.
 *
 * The scope is the part of the key that makes a sequence start again at 1,
 * written by the caller with `sequenceScope` (its parts joined by `|`):
 * - `reference`: the rendered 受付番号 format with `{seq}` left in, e.g. `R8-{seq}`
 * - `decision`: the rendered 指令番号 format, e.g. `R8-kankyo-{seq}`
 * - `ticket`: service code and local day, e.g. `juminhyo|2026-12-06`
 * - `receipt`: fiscal year, e.g. `2026`
 * - `booking`: calendar year, e.g. `2026`
 * - `document-serial`: series and fiscal year, e.g. `C|2026`
 */
export const GAPLESS_SEQUENCES = ['reference', 'decision', 'ticket', 'receipt', 'booking', 'document-serial'] as const;

export type GaplessSequence = (typeof GAPLESS_SEQUENCES)[number];

/** A scope from its key parts, in the fixed order the sequence documents, joined by `|`. */
export function sequenceScope(...parts: Array<string | number>): string {
  return parts.map(String).join('|');
}

/**
 * The draw as SQL, for a caller that folds it into a bigger statement (a
 * `WITH drawn AS (…)` part): the three arguments are the placeholders (or
 * literals) of the municipality, the sequence and the scope. Returns one row
 * with `last_value` (bigint), the number drawn. With `when` (an SQL
 * condition), draws only if it holds, and returns no row otherwise: in a
 * statement that is its own transaction, a number drawn for a write that
 * then writes nothing would be a gap.
 */
export function drawSequenceSql(municipality: string, sequence: string, scope: string, when?: string): string {
  const source = when ? `SELECT ${municipality}, ${sequence}, ${scope}, 1 WHERE ${when}` : `VALUES (${municipality}, ${sequence}, ${scope}, 1)`;
  return `INSERT INTO tenant_sequences (municipality_id, sequence, scope, last_value) ${source}
       ON CONFLICT (municipality_id, sequence, scope) DO UPDATE SET last_value = tenant_sequences.last_value + 1
       RETURNING last_value`;
}

const DRAW = drawSequenceSql('$1', '$2', '$3');

/**
 * The next number of a sequence in a scope, starting at 1, drawn inside the
 * caller's transaction (see above: without gaps because a rollback gives it
 * back). Call it as late as the transaction allows: the row stays locked
 * until commit.
 */
export async function nextInSequence(manager: EntityManager, municipalityId: MunicipalityId, sequence: GaplessSequence, scope: string): Promise<number> {
  const rows: Array<{ last_value: string }> = await manager.query(DRAW, [municipalityId, sequence, scope]);
  return Number(rows[0].last_value);
}
