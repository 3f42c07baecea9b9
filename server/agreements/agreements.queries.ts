import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agreements } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export type AgreementRow = typeof agreements.$inferSelect;
export { agreements as agreementsTable };

export function findAgreement(db: DbOrTx, pairingId: number, year: number): AgreementRow | undefined {
  return db
    .select()
    .from(agreements)
    .where(and(eq(agreements.pairingId, pairingId), eq(agreements.year, year), isNull(agreements.deletedAt)))
    .get();
}

const ofPairing = preparedFor((db) =>
  db
    .select()
    .from(agreements)
    .where(and(eq(agreements.pairingId, sql.placeholder('pairingId')), isNull(agreements.deletedAt)))
    .orderBy(agreements.year)
    .prepare(),
);

/** A pairing's live agreements by year (every pairing page asks; prepared once). */
export function listAgreements(db: DbOrTx, pairingId: number): AgreementRow[] {
  return ofPairing(db).all({ pairingId });
}

export function insertAgreement(db: DbOrTx, values: typeof agreements.$inferInsert): AgreementRow {
  return db.insert(agreements).values(values).returning().get();
}

export function updateAgreementAt(
  db: DbOrTx,
  id: number,
  version: number,
  values: Partial<typeof agreements.$inferInsert>,
): boolean {
  return (
    db
      .update(agreements)
      .set({ ...values, version: version + 1, updatedAt: new Date() })
      .where(and(eq(agreements.id, id), eq(agreements.version, version)))
      .run().changes === 1
  );
}

/** A live agreement by id. */
export function findAgreementById(db: DbOrTx, id: number): AgreementRow | undefined {
  return db
    .select()
    .from(agreements)
    .where(and(eq(agreements.id, id), isNull(agreements.deletedAt)))
    .get();
}

/** Removes an agreement for good: only an import's undo does, for agreements the import created. */
export function deleteAgreementRow(db: DbOrTx, id: number): void {
  db.delete(agreements).where(eq(agreements.id, id)).run();
}
