import type { Db } from '../../db/client.ts';
import type { Side } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ValidationError } from '../lib/errors.ts';
import { parseInput } from '../lib/validation.ts';
import * as q from './comments.queries.ts';
import { AddComment } from './comments.schema.ts';

/**
 * Comments are how the side that does not own a record (or an agreement) speaks about it: it
 * reads, and says what it thinks here instead of changing it. Whether an actor may comment is the
 * owning domain's policy; this module only stores and lists. Comments are never edited.
 */
export interface CommentTarget {
  entity: string;
  entityId: number;
  pairingId: number;
}

export function addComment(db: Db, actor: Actor, target: CommentTarget, side: Side | null, text: unknown) {
  const parsed = parseInput(AddComment, { body: text });
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const body = parsed.data.body;
  return db.transaction((tx) => {
    const row = q.insertComment(tx, {
      entity: target.entity,
      entityId: String(target.entityId),
      pairingId: target.pairingId,
      authorId: actorId(actor),
      side,
      body,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'comment',
      entity: target.entity,
      entityId: target.entityId,
      pairingId: target.pairingId,
      after: { body, side },
    });
    return row;
  });
}

export function commentsOn(db: Db, entity: string, entityId: number) {
  return q.listComments(db, entity, String(entityId));
}
