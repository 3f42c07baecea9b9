/**
 * Finding the database's own error under the wrappers: better-sqlite3 throws a SqliteError with a
 * `code` like SQLITE_CONSTRAINT_UNIQUE, and drizzle wraps it (DrizzleQueryError keeps it as `cause`).
 * The one walker used by the error handler, the unique-key mapping and the start-up check.
 */
export interface CodedError {
  code: string;
  message: string;
}

const MAX_DEPTH = 5;

/** The first error along the `cause` chain whose string `code` passes `test`. */
export function codedErrorOf(err: unknown, test: (code: string) => boolean): CodedError | undefined {
  let e = err;
  for (let depth = 0; e && typeof e === 'object' && depth < MAX_DEPTH; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && test(code)) return { code, message: typeof message === 'string' ? message : '' };
    e = cause;
  }
  return undefined;
}

/** better-sqlite3's SqliteError (code SQLITE_…), possibly wrapped. */
export function sqliteErrorOf(err: unknown): CodedError | undefined {
  return codedErrorOf(err, (code) => code.startsWith('SQLITE_'));
}

/**
 * SQLite codes that mean "the database cannot take this now" (disk full, read-only, I/O trouble,
 * locked for longer than busy_timeout): the change was rolled back, so the user may try again later.
 */
const UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN)/;

/** The code of a database error that refuses writes for now (see UNAVAILABLE), else undefined. */
export function unavailableCodeOf(err: unknown): string | undefined {
  const code = sqliteErrorOf(err)?.code;
  return code && UNAVAILABLE.test(code) ? code : undefined;
}

/** Whether the storage itself refuses writes (full, read-only, failing): not a lock that will pass. */
export const storageRefuses = (err: unknown) => /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/.test(unavailableCodeOf(err) ?? '');
