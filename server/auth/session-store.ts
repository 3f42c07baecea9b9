import session from 'express-session';
import type { Db } from '../../db/client.ts';
import { writesHeld } from '../lib/write-gate.ts';

type Cb = (err?: unknown, value?: session.SessionData | null) => void;

/**
 * express-session store on the app's own SQLite database. Each row remembers the user it belongs
 * to, so disabling a user or changing their password can end all of their sessions at once.
 */
/** How often a session's rolling expiry is written, and how many sessions' last writes are remembered. */
const TOUCH_EVERY_MS = 60_000;
const MAX_TOUCHED = 50_000;

export class SqliteSessionStore extends session.Store {
  private readonly stmts;
  /** When each session's expiry was last written (see touch). */
  private readonly touched = new Map<string, number>();

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
      this.touched.delete(sid);
      this.stmts.destroy.run(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  /**
   * A rolling session is touched on every request; writing its expiry each time would make every
   * page view a database write. The expiry is written at most once a minute per session: an
   * 8-hour idle timeout does not need finer steps.
   */
  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    try {
      const now = Date.now();
      const last = this.touched.get(sid);
      // while an import's commit holds the write lock the expiry waits for a later request (a write
      // now would hold this thread until the commit ends)
      if ((last === undefined || now - last >= TOUCH_EVERY_MS) && !writesHeld()) {
        this.stmts.touch.run(this.expiry(sess), sid);
        if (this.touched.size >= MAX_TOUCHED) this.touched.clear();
        this.touched.set(sid, now);
      }
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
