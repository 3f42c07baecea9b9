import { createHash } from 'node:crypto';
import type { Warning } from './errors.ts';

/**
 * What a "yes, this is right" confirms: the digest of the warnings the page showed (their rules and
 * figures). A save is confirmed only by the digest of the warnings its own values raise, so a
 * confirmation cannot be sent without the page, nor carried over to values that raise other ones.
 */
export function warningsDigest(warnings: readonly Warning[]): string {
  const shown = warnings.map((w) => [w.key, Object.entries(w.params).sort(([a], [b]) => (a < b ? -1 : 1))]);
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 32);
}
