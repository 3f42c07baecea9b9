import { and, asc, eq, sql, type Placeholder } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { comments, users } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export type NewComment = typeof comments.$inferInsert;

export function insertComment(tx: DbOrTx, values: NewComment) {
  return tx.insert(comments).values(values).returning().get();
}

/** The comments on one thing, oldest first, with their authors' names. */
const commentsOf = preparedFor((db) => commentsQuery(db, sql.placeholder('entity'), sql.placeholder('entityId')).prepare());

/** The comments on one thing, oldest first (record and agreement pages show them; prepared once). */
export function listComments(db: DbOrTx, entity: string, entityId: string) {
  return commentsOf(db).all({ entity, entityId });
}

/** The query behind listComments (a plan test reads its SQL). */
export function commentsQuery(db: DbOrTx, entity: string | Placeholder, entityId: string | Placeholder) {
  return db
    .select({
      id: comments.id,
      body: comments.body,
      side: comments.side,
      createdAt: comments.createdAt,
      authorName: users.displayName,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.entity, entity), eq(comments.entityId, entityId)))
    .orderBy(asc(comments.id))
    .limit(500);
}
