import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { ids } from '../lib/validation.ts';
import { waitForWritesToo } from '../middleware/writes.ts';
import { NotFoundError } from '../lib/errors.ts';
import { idParam } from '../middleware/params.ts';
import { columnFilters, listSchema } from '../records/records.schema.ts';
import { kindOf } from '../records/records.service.ts';
import { writeCsv, writeTable, writeWorkbook } from './exchange.write.ts';
import { RegionSearch } from '../regions/regions.schema.ts';
import { auditExport, exportList, exportPairingList, exportPairingYear } from './exports.service.ts';
import { ListPairings } from '../pairings/pairings.schema.ts';
import { parseInput } from '../lib/validation.ts';
import { ListUsers } from '../users/users.schema.ts';
import { IMPORTERS } from './imports.service.ts';
import { importTable, regionCodeTable, userTable, type Table } from './exports.tables.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(res: Response, name: string, format: 'csv' | 'xlsx') {
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX);
  // the name in UTF-8, and a plain one for clients that read no other
  res.set(
    'Content-Disposition',
    `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(name)}.${format}`,
  );
}

async function sendTable(res: Response, format: 'csv' | 'xlsx', table: Table) {
  attachment(res, table.title, format);
  await writeTable(res, format, table.title, table.header, table.rows);
  res.end();
}

function formatParam(req: Request): 'csv' | 'xlsx' {
  const format = req.params.format;
  if (format !== 'csv' && format !== 'xlsx') throw new NotFoundError();
  return format;
}

/**
 * Exports: a record list exactly as its filters show it (every page), and a pairing's whole year
 * as one workbook. The files use the import's columns, so they come back in unchanged.
 */
export function exportRoutes(db: Db): RouteDef[] {
  /** @route GET /records/:kind/export/:format — the list's records as filtered, as CSV or XLSX */
  async function list(req: Request, res: Response) {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'xlsx') throw new NotFoundError();
    const kind = kindOf(req.params.kind);
    const f = listSchema(kind).parse(req.query) as Record<string, unknown>;
    const fields = columnFilters(kind, f);
    const filter = {
      pairingId: f.pairing as number | undefined,
      year: f.year as number | undefined,
      region: f.region as string | undefined,
      fields,
    };
    const sheet = exportList(db, req.user!, kind.key, filter);
    auditExport(db, req.user!, kind.key, { format, filter, rows: sheet.total });
    const t = res.locals.t as Translate;
    const name = [t(`records.kind.${kind.key}`), f.year, f.region].filter(Boolean).join('-');
    attachment(res, name, format);
    if (format === 'csv') return writeCsv(res, sheet.columns, sheet.rows);
    await writeWorkbook(res, [sheet]);
    res.end();
  }

  /** @route GET /regions/export/:format — the code table (province, prefecture, county), or a search's matches */
  async function regionList(req: Request, res: Response) {
    const format = formatParam(req);
    const parsed = parseInput(RegionSearch, req.query);
    const query = parsed.ok ? parsed.data.q : undefined;
    const table = regionCodeTable(db, query, res.locals.t as Translate);
    auditExport(db, req.user!, 'regions', { format, query: query ?? null, rows: table.rows.length });
    await sendTable(res, format, table);
  }

  /** @route GET /pairings/export/:format — the pairing list as filtered (all pages), as CSV or XLSX */
  async function pairingList(req: Request, res: Response) {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'xlsx') throw new NotFoundError();
    const parsed = parseInput(ListPairings, req.query);
    const filter = parsed.ok ? parsed.data : { sort: 'level' as const };
    const sheet = exportPairingList(db, req.user!, filter);
    auditExport(db, req.user!, 'pairings', { format, filter, rows: sheet.total });
    attachment(res, (res.locals.t as Translate)('pairings.title'), format);
    if (format === 'csv') return writeCsv(res, sheet.columns, sheet.rows);
    await writeWorkbook(res, [sheet]);
    res.end();
  }

  /** @route GET /pairings/:id/export/:year — a pairing's year, a sheet per record kind */
  async function pairingYear(req: Request, res: Response) {
    const year = ids.year.safeParse(req.params.year);
    if (!year.success) throw new NotFoundError();
    const { pairing, sheets } = exportPairingYear(db, req.user!, idParam(req), year.data);
    auditExport(db, req.user!, 'pairing-year', { format: 'xlsx', pairingId: pairing.id, year: year.data });
    attachment(res, `${pairing.assistingName}-${pairing.assistedName}-${year.data}`, 'xlsx');
    await writeWorkbook(res, sheets);
    res.end();
  }

  /** @route GET /admin/users/export/:format — the user list as filtered, as CSV or XLSX */
  async function userList(req: Request, res: Response) {
    const format = formatParam(req);
    const parsed = parseInput(ListUsers, req.query);
    const filter = parsed.ok ? { role: parsed.data.role, q: parsed.data.q } : {};
    const table = userTable(db, req.user!, filter, res.locals.t as Translate);
    auditExport(db, req.user!, 'users', { format, filter, rows: table.rows.length });
    await sendTable(res, format, table);
  }

  /** @route GET /imports/export/:format — the import history (the user's own; everyone's for an admin), as CSV or XLSX */
  async function importList(req: Request, res: Response) {
    const format = formatParam(req);
    const table = importTable(db, req.user!, res.locals.t as Translate);
    auditExport(db, req.user!, 'imports', { format, rows: table.rows.length });
    await sendTable(res, format, table);
  }

  // every export writes its audit entry: while an import's commit holds the write lock, it waits
  const audited = [waitForWritesToo];
  return [
    { method: 'get', path: '/admin/users/export/:format', access: ['admin'], before: audited, handler: userList },
    { method: 'get', path: '/imports/export/:format', access: IMPORTERS, before: audited, handler: importList },
    { method: 'get', path: '/records/:kind/export/:format', access: 'user', before: audited, handler: list },
    { method: 'get', path: '/regions/export/:format', access: 'user', before: audited, handler: regionList },
    { method: 'get', path: '/pairings/export/:format', access: 'user', before: audited, handler: pairingList },
    { method: 'get', path: '/pairings/:id/export/:year', access: 'user', before: audited, handler: pairingYear },
  ];
}
