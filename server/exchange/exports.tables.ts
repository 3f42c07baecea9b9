import type { Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import type { Translate } from '../lib/i18n.ts';
import { formatDateTime } from '../lib/present.ts';
import { regionTable } from '../regions/regions.service.ts';
import { exportUsers } from '../users/users.service.ts';
import { presentImport } from './imports.present.ts';
import { allImports } from './imports.service.ts';
import type { Cell } from './exchange.write.ts';

/**
 * Lists that are read, not imported back, as plain tables (a header of labels, then rows) in the
 * page's language: the region code table, the user list, the import history. Each is read by its
 * domain's service, within what the actor may see.
 */
export interface Table {
  title: string;
  header: string[];
  rows: Cell[][];
}

/** The region code table (province, prefecture, county with parent and zone), or a search's matches. */
export function regionCodeTable(db: Db, query: string | undefined, t: Translate): Table {
  return {
    title: t('regions.title'),
    header: ['code', 'name', 'level', 'fullName', 'parentCode', 'zone'].map((k) => t(`regions.export.${k}`)),
    rows: regionTable(db, query).map((r) => [
      r.code,
      r.name,
      t(`level.${r.level}`),
      r.fullName,
      r.parentCode ?? '',
      t(`zone.${r.zone ?? 'none'}`),
    ]),
  };
}

/** The accounts the user list's filter finds (the admin's), with role, region name and status. */
export function userTable(
  db: Db,
  actor: Actor,
  filter: { role?: Role | undefined; q?: string | undefined },
  t: Translate,
): Table {
  return {
    title: t('users.title'),
    header: ['users.username', 'users.displayName', 'users.role', 'home.scope', 'users.regionCode', 'users.status'].map((k) =>
      t(k),
    ),
    rows: exportUsers(db, actor, filter).map((u) => [
      u.username,
      u.displayName,
      t(`role.${u.role}`),
      u.regionCode ? (u.regionName ?? '') : t('scope.country'),
      u.regionCode ?? '',
      t(u.active ? 'users.active' : 'users.disabled'),
    ]),
  };
}

/** The import history the list shows (the actor's own; everyone's for an admin): file, counts, state and when. */
export function importTable(db: Db, actor: Actor, t: Translate): Table {
  const at = (d: Date | null) => (d ? formatDateTime(d) : '');
  return {
    title: t('import.list.title'),
    header: [
      '#',
      t('import.file'),
      t('records.kindLabel'),
      t('import.by'),
      t('import.at'),
      t('import.statusLabel'),
      ...['creates', 'updates', 'unchanged', 'errors'].map((k) => t(`import.export.${k}`)),
      t('import.committedAt'),
      t('import.undoneAt'),
    ],
    rows: allImports(db, actor).map((i) => {
      const shown = presentImport(i, t);
      const e = i.entry;
      return [
        e.id,
        e.fileName,
        shown.kindLabel,
        i.userName,
        at(e.createdAt),
        shown.statusLabel,
        e.creates,
        e.updates,
        e.unchanged,
        e.errors,
        at(e.committedAt),
        at(e.undoneAt),
      ];
    }),
  };
}
