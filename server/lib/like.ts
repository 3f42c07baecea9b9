import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * A "contains" search as a LIKE pattern: the user's `%`, `_` and `\` are matched as typed (escaped
 * with `\`), so searching `_` finds names with an underscore, not every name.
 */
export function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column LIKE pattern ESCAPE '\'` for a pattern made by containsPattern. */
export function likeEscaped(column: SQLiteColumn | SQL, pattern: string): SQL {
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
