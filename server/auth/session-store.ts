import session from 'express-session';
import type { Db } from '../../db/client.ts';

type Cb = (err?: unknown, value?: session.SessionData | null) => void;

/**
 * express-session store on the app's own SQLite database. Each row remembers the user it belongs
 * to, so disabling a user or changing their password can end all of their sessions at once.
 */
export class SqliteSessionStore extends session.Store {
  private readonly stmts;

  constructor(
    db: Db,
    private readonly ttlMs: number,
  ) {
    super();
    const c = db.$client;
    this.stmts = {
      get: c.prepare<[string, number], { data: string }>('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?'),
      set: c.prepare(
        `INSERT INTO sessions (sid, user_id, data, expires_at) VALUES (@sid, @userId, @data, @expiresAt)
         ON CONFLICT(sid) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
      ),
      destroy: c.prepare('DELETE FROM sessions WHERE sid = ?'),
      touch: c.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?'),
      prune: c.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  private expiry(sess: session.SessionData): number {
    const expires = sess.cookie.expires ? new Date(sess.cookie.expires).getTime() : NaN;
    return Number.isFinite(expires) ? expires : Date.now() + this.ttlMs;
  }

  override get(sid: string, cb: Cb): void {
    try {
      const row = this.stmts.get.get(sid, Date.now());
      cb(null, row ? (JSON.parse(row.data) as session.SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    try {
      const user = (sess as { passport?: { user?: unknown } }).passport?.user;
      this.stmts.set.run({
        sid,
        userId: typeof user === 'number' ? user : null,
        data: JSON.stringify(sess),
        expiresAt: this.expiry(sess),
      });
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    try {
      this.stmts.destroy.run(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    try {
      this.stmts.touch.run(this.expiry(sess), sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  /** Deletes expired rows; main.ts calls it at start and every hour. */
  prune(): number {
    return this.stmts.prune.run(Date.now()).changes;
  }
}
