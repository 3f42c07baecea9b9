import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadSessionUser, type SessionUser } from '../auth/auth.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../lib/errors.ts';
import * as q from './tokens.queries.ts';
import type { CreateTokenInput } from './tokens.schema.ts';

export type { ListedToken } from './tokens.queries.ts';

/**
 * Personal access tokens for the read API. A token is `ewc_` and 32 random bytes in base64url: the
 * prefix lets a secret scanner (or a person) recognise it. Only its SHA-256 is stored (256 random
 * bits need no slow hash) with its first characters for the profile page; the token itself is
 * shown once, in the answer that created it, and is nowhere else: not in the database, the
 * session, the audit trail or the log.
 */
export const TOKEN_PREFIX = 'ewc_';
const TOKEN_FORMAT = /^ewc_[A-Za-z0-9_-]{43}$/;
const SHOWN_CHARS = TOKEN_PREFIX.length + 6;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The last use is written at most once a minute per token (a busy script makes 600 requests a minute). */
const TOUCH_EVERY_MS = 60 * 1000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const entity = 'access_token';

/** Creates a token for the actor; returns it in plain (to be shown once) with its row's listed fields. */
export function createToken(db: Db, actor: Actor, input: CreateTokenInput, now: Date) {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.days * DAY_MS);
  const row = db.transaction((tx) => {
    const created = q.insertToken(tx, {
      userId: actor.id,
      name: input.name,
      tokenHash: hashOf(token),
      prefix: token.slice(0, SHOWN_CHARS),
      createdAt: now,
      expiresAt,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'create',
      entity,
      entityId: created.id,
      after: { name: created.name, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { token, id: row.id, name: row.name, expiresAt };
}

/** The actor's tokens, newest first, each with its state at `now`. */
export function listTokens(db: Db, actor: Actor, now: Date) {
  return q.listTokens(db, actor.id).map((t) => ({ ...t, state: stateOf(t, now) }));
}

export type TokenState = 'active' | 'expired' | 'revoked';
function stateOf(t: { revokedAt: Date | null; expiresAt: Date }, now: Date): TokenState {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

/** One of the actor's own tokens; anyone else's (or none) is 404. */
export function getToken(db: Db, actor: Actor, id: number, now: Date) {
  const token = q.findOwnToken(db, actor.id, id);
  if (!token) throw new NotFoundError();
  return { ...token, state: stateOf(token, now) };
}

/** Revokes one of the actor's tokens at once (an expired one too: it can never come back). */
export function revokeToken(db: Db, actor: Actor, id: number, now: Date) {
  const token = getToken(db, actor, id, now);
  db.transaction((tx) => {
    if (!q.revokeToken(tx, id, now)) throw new ConflictError('tokens.alreadyRevoked');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'revoke',
      entity,
      entityId: id,
      before: { revokedAt: null },
      after: { name: token.name, revokedAt: now.toISOString() },
    });
  });
  return token;
}

const beijingDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });

/** Where a token request came from, for its day's audit row. */
export interface TokenUse {
  method: string;
  path: string;
  address: string | undefined;
}

/**
 * The user a bearer token acts as, checked on every request: a token of the right form, known,
 * not revoked, not expired, of a user who is still active (the same load as a session's). A user
 * whose password an admin reset is refused until they have chosen their own. The last use is
 * written at most once a minute, and the first use of each day (Beijing time) writes one audit row.
 */
export function authenticateToken(db: Db, token: string, now: Date, use: TokenUse): { user: SessionUser; tokenId: number } {
  if (!TOKEN_FORMAT.test(token)) throw new UnauthorizedError('api.error.tokenInvalid');
  const row = q.findByHash(db, hashOf(token));
  if (!row) throw new UnauthorizedError('api.error.tokenInvalid');
  if (row.revokedAt) throw new UnauthorizedError('api.error.tokenRevoked');
  if (row.expiresAt.getTime() <= now.getTime()) throw new UnauthorizedError('api.error.tokenExpired');
  const user = loadSessionUser(db, row.userId);
  if (!user) throw new UnauthorizedError('api.error.tokenInvalid');
  if (user.mustChangePassword) throw new ForbiddenError('api.error.passwordChange');
  const last = row.lastUsedAt;
  if (!last || now.getTime() - last.getTime() >= TOUCH_EVERY_MS) {
    const firstToday = !last || beijingDay.format(last) !== beijingDay.format(now);
    db.transaction((tx) => {
      if (!q.touchToken(tx, row.id, now, new Date(now.getTime() - TOUCH_EVERY_MS)) || !firstToday) return;
      recordAudit(tx, {
        actorId: user.id,
        action: 'use',
        entity,
        entityId: row.id,
        after: { name: row.name, day: beijingDay.format(now), first: `${use.method} ${use.path}`, address: use.address ?? null },
      });
    });
  }
  return { user, tokenId: row.id };
}

/** The lookup's SQL (for the plan test: it must search the unique index on the hash). */
export { findByHashSql } from './tokens.queries.ts';
