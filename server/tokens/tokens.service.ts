import { createHash, randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadSessionUser, type SessionUser } from '../auth/auth.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../lib/errors.ts';
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

/**
 * Live tokens one user may hold at once. The rate limit counts per token and per user (api.auth.ts);
 * the cap keeps a user's tokens few enough to review on the profile page and to revoke in one go.
 */
export const MAX_LIVE_TOKENS = 10;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const entity = 'access_token';

/**
 * Creates a token for the actor; returns it in plain (to be shown once) with its row's listed fields.
 * Refused (on the form) when the actor already holds MAX_LIVE_TOKENS live ones, counted inside the
 * transaction so that two forms sent at once cannot both pass.
 */
export function createToken(db: Db, actor: Actor, input: CreateTokenInput, now: Date) {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.days * DAY_MS);
  const row = db.transaction((tx) => {
    if (q.countLiveTokens(tx, actor.id, now) >= MAX_LIVE_TOKENS)
      throw new ValidationError({ _form: { key: 'tokens.tooMany', params: { max: MAX_LIVE_TOKENS } } });
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

/** Why every token of a user was revoked at once (the audit row says which). */
export type RevokeAllReason = 'reset-password' | 'change-password' | 'disable' | 'role-or-region';

/**
 * Revokes every live token of a user, inside the caller's transaction (the change that calls for
 * it: a password reset or change, a disabling, a new role or region), with one audit row per token,
 * as a revocation on the profile page writes: a token's history stays under its own id, and the
 * cap keeps the rows few. Returns how many were revoked.
 */
export function revokeAllTokensOf(tx: DbOrTx, userId: number, actorId: number, reason: RevokeAllReason, now: Date): number {
  const revoked = q.revokeLiveTokensOf(tx, userId, now);
  for (const token of revoked)
    recordAudit(tx, {
      actorId,
      action: 'revoke',
      entity,
      entityId: token.id,
      before: { revokedAt: null },
      after: { name: token.name, revokedAt: now.toISOString(), reason },
    });
  return revoked.length;
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
 * not revoked, not expired, of a user who is still active (the same load as a session's). An admin's
 * password reset revokes the user's tokens (users.service.ts); the refusal of a user who must still
 * choose a password stays as a second guard. The last use is written at most once a minute, and
 * the first use of each day (Beijing time) writes one audit row.
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
