import { and, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { pairings } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { codeWithin, isWithin } from '../regions/regions.service.ts';

/**
 * The where-clause of the pairings an actor may read: both sides see the same pairing, so either
 * side lying in the actor's region is enough. Undefined means no restriction.
 */
export function pairingScope(actor: Actor): SQL | undefined {
  return scopeOfPrefix(scopePrefixOf(actor));
}

/** The where-clause of the pairings with either side within a region prefix (null: no restriction). */
export function scopeOfPrefix(prefix: string | null): SQL | undefined {
  if (prefix === null) return undefined;
  return or(codeWithin(pairings.assistingCode, prefix), codeWithin(pairings.assistedCode, prefix));
}

/** The same scope as a region prefix, for prepared queries that bind it; null for no restriction. */
export function scopePrefixOf(actor: Actor): string | null {
  return actor.role === 'admin' || actor.scope === null ? null : actor.scope;
}

/** pairingScope with the prefix's range as placeholders `lo` and `hi` (see prefixRange). */
export const PAIRING_SCOPE_PLACEHOLDERS = or(
  and(gte(pairings.assistingCode, sql.placeholder('lo')), lt(pairings.assistingCode, sql.placeholder('hi'))),
  and(gte(pairings.assistedCode, sql.placeholder('lo')), lt(pairings.assistedCode, sql.placeholder('hi'))),
)!;

export type PairingSides = { assistingCode: string; assistedCode: string };

/** Which side of a pairing the actor belongs to (both for admins). */
export function sidesOf(actor: Actor, p: PairingSides): { assisting: boolean; assisted: boolean } {
  if (actor.role === 'admin' || actor.scope === null) return { assisting: true, assisted: true };
  return { assisting: isWithin(p.assistingCode, actor.scope), assisted: isWithin(p.assistedCode, actor.scope) };
}

/** Staff write the records of pairings on their side; admins write everything; others only read. */
export function canWrite(actor: Actor, p: PairingSides): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'staff') return false;
  const s = sidesOf(actor, p);
  return s.assisting || s.assisted;
}
