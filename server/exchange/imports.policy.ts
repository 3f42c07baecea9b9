import type { ImportStatus } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';

/**
 * Who may do what with an import, decided here for the service and the pages alike: offices and
 * the admin import; an import is seen by whoever uploaded it and by the admin; only its uploader
 * commits it (its records are theirs); its uploader or the admin undoes it.
 */
export const IMPORTERS = ['admin', 'staff'] as const;

export function canImport(actor: Actor): boolean {
  return (IMPORTERS as readonly string[]).includes(actor.role);
}

interface ImportFacts {
  userId: number;
  status: ImportStatus;
  errors: number;
  creates: number;
  updates: number;
}

export function importCapabilities(actor: Actor, entry: ImportFacts, busy = false) {
  const importer = canImport(actor);
  const own = importer && entry.userId === actor.id;
  const view = own || (importer && actor.role === 'admin');
  return {
    view,
    commit: own && !busy && entry.status === 'checked' && entry.errors === 0 && entry.creates + entry.updates > 0,
    undo: view && !busy && entry.status === 'committed',
  };
}

/** Why a commit is refused now, or undefined when it may go ahead (the message key). */
export function commitRefusal(actor: Actor, entry: ImportFacts): string | undefined {
  if (entry.userId !== actor.id) return 'import.notYours';
  if (entry.status === 'committed') return 'import.alreadyCommitted';
  if (entry.status !== 'checked') return 'import.notCheckable';
  return undefined;
}

/** Why an undo is refused now, or undefined when it may go ahead. */
export function undoRefusal(actor: Actor, entry: ImportFacts): string | undefined {
  if (!importCapabilities(actor, entry).view) return 'import.notYours';
  if (entry.status === 'undone') return 'import.alreadyUndone';
  if (entry.status !== 'committed') return 'import.notCommitted';
  return undefined;
}
