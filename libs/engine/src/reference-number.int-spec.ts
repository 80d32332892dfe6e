import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { referenceNumberParts, referenceNumberSql } from './reference-number';

/** The engine renders 受付番号 in SQL (inside its one write): the same text as `render`, on a real PostgreSQL. */
describe('reference numbers rendered in SQL (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it.each([
    ['{era}{eraYear}-{seq:6}', 123],
    ['{era}{eraYear}-{seq:6}', 1234567],
    ['FY{fy}/{seq}', 7],
    ['{seq:3}', 12345],
    ['No.{seq:4}-{fy}-{seq}', 42],
  ])('%s with %i', async (format, seq) => {
    const parts = referenceNumberParts(format, '2026-11-22', 4);
    const rendered = await db.asOwner((client) =>
      client.query<{ text: string }>(`SELECT ${referenceNumberSql('$1::bigint', '$2', '$3', '$4')} AS text`, [seq, parts.prefix, parts.width, parts.suffix]),
    );
    expect(rendered.rows[0].text).toBe(parts.render(seq));
  });
});
