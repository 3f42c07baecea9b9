import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../lib/logger.ts';
import type { Db } from '../../db/client.ts';
import type { ImportAction } from '../../db/schema/exchange.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { form } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { idParam } from '../middleware/params.ts';
import { TARGET_KEYS, isTargetKey, targetOf } from './exchange.targets.ts';
import { columnNotes, columnsOf } from './exchange.columns.ts';
import { FileProblem } from './exchange.read.ts';
import { csvOf, writeCsv, writeWorkbook } from './exchange.write.ts';
import { errorCopy, presentImport, presentRows } from './imports.present.ts';
import * as imports from './imports.service.ts';
import { commitImportOffThread, isImportBusy, undoImportOffThread, warmImportThread } from './imports.thread.ts';
import { IMPORT_UPLOAD_PATH } from './imports.upload.ts';

/** How long an upload's request waits for its check before showing the progress page instead. */
const WAIT_FOR_CHECK_MS = 3000;

/** Runs a commit or undo; a refusal for the state it finds (409) is told on the import's page, not as an error page. */
async function refusedAsFlash(req: Request, act: () => Promise<void>, done: string) {
  try {
    await act();
    flash(req, 'success', done);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    flash(req, 'error', e.messageKey, e.params);
  }
}

const kindParam = (value: unknown): string => (isTargetKey(value) ? value : 'funds');
const kindLabel = (t: Translate, key: string) =>
  t(key === 'agreements' || key === 'pairings' ? `${key}.sheet` : `records.kind.${key}`);

function newLocals(res: Response, kindKey: string) {
  const t = res.locals.t as Translate;
  const sheet = targetOf(kindKey).sheet;
  return {
    title: t('import.new.title'),
    kind: sheet.key,
    kindLabel: kindLabel(t, sheet.key),
    kinds: TARGET_KEYS.map((k) => ({ key: k, label: kindLabel(t, k), current: k === sheet.key })),
    notes: columnNotes(sheet),
    uploadAction: `/imports?kind=${sheet.key}&_csrf=${encodeURIComponent(String(res.locals.csrfToken))}`,
  };
}

/** The upload, once its own chain (imports.upload.ts, before the app's body parsers) has received the file. */
function uploadHandler(db: Db, logger: Logger): RequestHandler {
  return async (req, res) => {
    const kindKey = kindParam(req.query.kind);
    const t = res.locals.t as Translate;
    const refuse = (key: string, params?: Record<string, string | number>) =>
      res.status(422).render('imports/new', { ...newLocals(res, kindKey), formError: t(key, params) });
    if (req.uploadRefusal || !req.importFile) return refuse(req.uploadRefusal ?? 'import.file.missing');
    const file = req.importFile;
    let started: ReturnType<typeof imports.startImport>;
    try {
      started = imports.startImport(db, req.user!, kindKey, file);
    } catch (e) {
      await rm(file.path, { force: true });
      if (e instanceof FileProblem) return refuse(e.key, e.params);
      throw e;
    }
    // the commit's thread starts while the rows are checked: ready when the user commits
    warmImportThread(db);
    const finished = started.done
      .catch((e: unknown) => logger.error({ err: e, importId: started.entry.id }, 'import check failed'))
      .finally(() => rm(file.path, { force: true }));
    await Promise.race([finished, delay(WAIT_FOR_CHECK_MS)]);
    res.redirect(303, `/imports/${started.entry.id}`);
  };
}

export function importRoutes(db: Db, logger: Logger): RouteDef[] {
  const writers = imports.IMPORTERS;

  /** @route GET /imports — the actor's imports (an admin's: everyone's), newest first */
  function list(req: Request, res: Response) {
    const t = res.locals.t as Translate;
    const page = form.page().catch(undefined).parse(req.query.page);
    const result = imports.listImports(db, req.user!, page);
    res.render('imports/list', {
      title: t('import.list.title'),
      result,
      items: result.items.map((i) => presentImport(i, t)),
      params: {},
    });
  }

  /** @route GET /imports/new — choose a kind, download its template, upload a file */
  function newForm(req: Request, res: Response) {
    res.render('imports/new', newLocals(res, kindParam(req.query.kind)));
  }

  /** @route GET /imports/template/:file — a kind's empty template, funds.csv or funds.xlsx */
  async function template(req: Request, res: Response) {
    const m = /^([a-z]+)\.(csv|xlsx)$/.exec(String(req.params.file));
    const kindKey = m?.[1];
    if (!m || !isTargetKey(kindKey)) throw new NotFoundError();
    const sheet = targetOf(kindKey).sheet;
    const name = encodeURIComponent(`${sheet.label}-导入模板`);
    if (m[2] === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename*=UTF-8''${name}.csv`);
      return res.send(csvOf(columnsOf(sheet), []));
    }
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.set('Content-Disposition', `attachment; filename*=UTF-8''${name}.xlsx`);
    await writeWorkbook(res, [{ sheet, columns: columnsOf(sheet), rows: [] }], true);
    res.end();
  }

  /** @route GET /imports/:importId — the check's progress, then every row's outcome; commit or undo */
  function show(req: Request, res: Response) {
    const t = res.locals.t as Translate;
    const found = imports.getImport(db, req.user!, idParam(req, 'importId'));
    const entry = found.entry;
    const busy = isImportBusy(db, entry.id);
    const requested =
      typeof req.query.show === 'string' && (imports.SHOWN_ACTIONS as readonly string[]).includes(req.query.show)
        ? (req.query.show as ImportAction)
        : undefined;
    const showing: ImportAction = requested ?? (entry.errors > 0 ? 'error' : entry.updates > 0 ? 'update' : 'create');
    const page = form.page().catch(undefined).parse(req.query.page);
    const rows = imports.importRowsPage(db, entry, showing, page);
    res.render('imports/show', {
      title: t('import.show.title', { id: entry.id }),
      ...presentImport(found, t, { actor: req.user!, busy }),
      // the check's progress, or a commit or undo under way: the page looks again by itself
      refreshSeconds: entry.status === 'checking' || busy ? 2 : undefined,
      showing,
      tabs: imports.SHOWN_ACTIONS.map((a) => ({
        action: a,
        label: t(`import.${entry.status === 'committed' || entry.status === 'undone' ? 'done' : 'action'}.${a}`),
        current: a === showing,
      })),
      rows: presentRows(rows.items, entry.kind, t),
      result: rows,
      params: { show: showing },
    });
  }

  /** @route GET /imports/:importId/errors/:format — a copy of the upload's bad rows with an error column */
  async function errors(req: Request, res: Response) {
    const found = imports.getImport(db, req.user!, idParam(req, 'importId'));
    const format = req.params.format === 'xlsx' ? 'xlsx' : 'csv';
    const copy = errorCopy(db, found.entry);
    const name = encodeURIComponent(`${found.entry.fileName.replace(/\.(csv|xlsx|txt)$/i, '')}-错误`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename*=UTF-8''${name}.csv`);
      return writeCsv(res, copy.columns, copy.rows);
    }
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.set('Content-Disposition', `attachment; filename*=UTF-8''${name}.xlsx`);
    await writeWorkbook(res, [{ sheet: copy.sheet, columns: copy.columns, rows: copy.rows }]);
    res.end();
  }

  /** @route POST /imports/:importId/commit — apply a checked import in one transaction */
  async function commit(req: Request, res: Response) {
    const id = idParam(req, 'importId');
    await refusedAsFlash(req, () => commitImportOffThread(db, req.user!, id), 'import.committed');
    res.redirect(303, `/imports/${id}`);
  }

  /** @route GET /imports/:importId/undo — confirm undoing an import */
  function undoForm(req: Request, res: Response) {
    const t = res.locals.t as Translate;
    const found = imports.getImport(db, req.user!, idParam(req, 'importId'));
    const busy = isImportBusy(db, found.entry.id);
    res.render('imports/undo', { title: t('import.undo.title'), ...presentImport(found, t, { actor: req.user!, busy }) });
  }

  /** @route POST /imports/:importId/undo — undo a committed import as a whole */
  async function undo(req: Request, res: Response) {
    const id = idParam(req, 'importId');
    await refusedAsFlash(req, () => undoImportOffThread(db, req.user!, id), 'import.undone');
    res.redirect(303, `/imports/${id}`);
  }

  return [
    { method: 'get', path: '/imports', access: writers, handler: list },
    { method: 'get', path: '/imports/new', access: writers, handler: newForm },
    { method: 'post', path: IMPORT_UPLOAD_PATH, access: writers, handler: uploadHandler(db, logger) },
    { method: 'get', path: '/imports/template/:file', access: writers, handler: template },
    { method: 'get', path: '/imports/:importId', access: writers, handler: show },
    { method: 'get', path: '/imports/:importId/errors/:format', access: writers, handler: errors },
    { method: 'post', path: '/imports/:importId/commit', access: writers, handler: commit },
    { method: 'get', path: '/imports/:importId/undo', access: writers, handler: undoForm },
    { method: 'post', path: '/imports/:importId/undo', access: writers, handler: undo },
  ];
}
