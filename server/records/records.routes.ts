import type { Request, Response } from 'express';
import { chinaYear } from '../lib/china-time.ts';
import type { Db } from '../../db/client.ts';
import { historyLocals, historyPageAsked, legibleHistory } from '../audit/history.present.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { formFieldsFor, formValues } from '../lib/present.ts';
import type { RouteDef } from '../lib/routes.ts';
import type { Translate } from '../lib/i18n.ts';
import { remember, versionNow } from '../lib/data-version.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { listFilters } from '../middleware/list-filters.ts';
import { regionFilterByName } from '../middleware/region-filter.ts';
import { ids } from '../lib/validation.ts';
import { regionFields, regionNames } from '../regions/regions.service.ts';
import { getPairing, listDeletedPairings } from '../pairings/pairings.service.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { commentHandler } from '../comments/comments.routes.ts';
import { COMMENTER_ROLES } from '../pairings/pairings.service.ts';
import { idParam } from '../middleware/params.ts';
import {
  ConfirmFund,
  DeleteRecord,
  columnFilters,
  createSchema,
  filterOptions,
  listSchema,
  recordSchema,
} from './records.schema.ts';
import * as records from './records.service.ts';
import { filesOnRecord, MAX_FILES_PER_RECORD } from './records.files.ts';
import { nameOf, type RecordInput } from './records.kinds.ts';
import {
  describe,
  listColumns,
  listHeaders,
  presentListRows,
  regionCodesOf,
  regionFieldNames,
  regionText,
} from './records.present.ts';

const writers = ['admin', 'staff'] as const;

function formLocals(res: Response, kind: records.RecordKind, extra: Record<string, unknown>) {
  const t = res.locals.t as Translate;
  return {
    kind: kind.key,
    kindLabel: t(`records.kind.${kind.key}`),
    fields: formFieldsFor(records.formFields(kind), t),
    ...extra,
  };
}

export function recordRoutes(db: Db, clock: () => Date): RouteDef[] {
  /** @route GET /records/:kind — a kind's records in scope, filtered, sorted, paginated */
  function list(req: Request, res: Response) {
    const kind = records.kindOf(req.params.kind);
    const f = listSchema(kind).parse(req.query) as Record<string, unknown>;
    const fields = columnFilters(kind, f);
    const version = versionNow(db, 'pages'); // before the rows are read (see versionNow)
    const result = records.listRecords(db, req.user!, kind.key, {
      pairingId: f.pairing as number | undefined,
      year: f.year as number | undefined,
      region: f.region as string | undefined,
      fields,
      page: f.page as number | undefined,
      sort: f.sort as 'date' | 'oldest',
    });
    const t = res.locals.t as Translate;
    const columns = listColumns(kind);
    // a function: the rows are presented only when their kept fragment is missing ({{#each}} calls it)
    const rows = () => presentListRows(kind, result.items, t, req.moneyUnit);
    const filters = filterOptions(kind).map((o) => ({
      name: o.name,
      label: t(`field.${o.name}`),
      value: f[o.name] ?? '',
      options: o.options.map((v) => ({ value: v, label: t(`enum.${o.enum}.${v}`) })),
    }));
    res.render('records/list', {
      title: t(`records.kind.${kind.key}`),
      kind: kind.key,
      detailsLabel: t('common.details'),
      headers: listHeaders(columns, t, req.moneyUnit),
      rows,
      rowCount: result.items.length,
      // the rows' markup is the same for everyone in the scope reading this page (result.key names
      // the scope, kind, filter and page): kept until a record or pairing changes
      rowsKey: result.key,
      keep: (key: string, render: () => string) => remember(db, `fragment ${version} ${key}`, render, 'pages'),
      result,
      filter: f,
      filters,
      params: { ...f, page: undefined },
    });
  }

  /** @route GET /pairings/:id/records/:kind/new */
  function newForm(req: Request, res: Response) {
    const kind = records.kindOf(req.params.kind);
    const pairing = getPairing(db, req.user!, idParam(req));
    const can = records.recordCapabilities(req.user!, kind, pairing);
    if (!can.create) throw new ForbiddenError(`records.rule.enteredBy.${kind.enteredBy[0]!}`);
    // the year the pairing page showed, else this year
    const asked = ids.year.safeParse(req.query.year);
    const year = asked.success ? asked.data : Math.min(chinaYear(clock()), pairing.endYear ?? 9999);
    const units = Object.fromEntries(kind.fields.filter((x) => x.type === 'money').map((x) => [`${x.name}Unit`, req.moneyUnit]));
    res.render(
      'records/form',
      formLocals(res, kind, {
        title: res.locals.t('records.new', { kind: res.locals.t(`records.kind.${kind.key}`) }),
        pairing,
        createAs: can.createAs.length > 1 ? can.createAs : undefined,
        values: { year, date: clock().toISOString().slice(0, 10), direction: 'to_west', form: 'money', ...units },
        action: `/pairings/${pairing.id}/records/${kind.key}`,
      }),
    );
  }

  /** @route POST /pairings/:id/records/:kind */
  async function create(req: Request, res: Response) {
    const kind = records.kindOf(req.params.kind);
    const pairing = getPairing(db, req.user!, idParam(req));
    const can = records.recordCapabilities(req.user!, kind, pairing);
    const created = await submitForm(req, res, {
      regions: regionFields(db, regionFieldNames(kind)),
      schema: createSchema(kind),
      view: 'records/form',
      locals: formLocals(res, kind, {
        title: res.locals.t('records.new', { kind: res.locals.t(`records.kind.${kind.key}`) }),
        pairing,
        createAs: can.createAs.length > 1 ? can.createAs : undefined,
        action: `/pairings/${pairing.id}/records/${kind.key}`,
      }),
      run: (input) => records.createRecord(db, req.user!, kind.key, pairing.id, input as RecordInput),
    });
    if (!created) return;
    flash(req, 'success', 'records.created');
    res.redirect(`/records/${kind.key}/${created.id}`);
  }

  /** @route GET /records/:kind/:rid — detail with its history */
  function show(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, records.kindOf(req.params.kind).key, idParam(req, 'rid'));
    const t = res.locals.t as Translate;
    res.render('records/show', {
      title: t(`records.kind.${found.kind.key}`),
      ...found,
      recordName: nameOf(found.kind, found.record, t) ?? `#${found.record.id}`,
      kindKey: found.kind.key,
      details: describe(found.kind, found.record, t, req.moneyUnit, regionNames(db, regionCodesOf(found.kind, found.record))),
      ...historyLocals(
        legibleHistory(db, `record.${found.kind.key}`, found.record.id, {
          fields: records.listableFields(found.kind),
          t,
          unit: req.moneyUnit,
          locale: req.locale,
          regionNamesOf: (codes) => regionNames(db, codes),
          page: historyPageAsked(req.query),
        }),
      ),
      comments: records.commentsOnRecord(db, found),
      files: filesOnRecord(db, found),
      maxFiles: MAX_FILES_PER_RECORD,
    });
  }

  /** @route GET /records/:kind/:rid/edit */
  function edit(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, records.kindOf(req.params.kind).key, idParam(req, 'rid'));
    records.checkWritable(found, 'edit');
    const values: Record<string, unknown> = {
      ...formValues(records.formFields(found.kind), found.record, req.moneyUnit),
      version: found.record.version,
    };
    // a region field shows its name with its code (the picker reads it back)
    const names = regionNames(db, regionCodesOf(found.kind, found.record));
    for (const name of regionFieldNames(found.kind)) values[name] = regionText(values[name], names);
    res.render(
      'records/form',
      formLocals(res, found.kind, {
        title: res.locals.t('records.edit'),
        record: found.record,
        pairing: { id: found.record.pairingId, ...found.pairing },
        values,
        action: `/records/${found.kind.key}/${found.record.id}`,
      }),
    );
  }

  /** @route POST /records/:kind/:rid — a save over a newer version answers 409, keeping the input */
  async function update(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, records.kindOf(req.params.kind).key, idParam(req, 'rid'));
    const kind = found.kind;
    const locals = formLocals(res, kind, {
      title: res.locals.t('records.edit'),
      record: found.record,
      pairing: { id: found.record.pairingId, ...found.pairing },
      action: `/records/${kind.key}/${found.record.id}`,
    });
    try {
      const saved = await submitForm(req, res, {
        regions: regionFields(db, regionFieldNames(kind)),
        schema: recordSchema(kind, true),
        view: 'records/form',
        locals,
        run: (input) =>
          records.updateRecord(db, req.user!, kind.key, found.record.id, input as RecordInput & { version: number }),
      });
      if (!saved) return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const now = records.getRecord(db, req.user!, kind.key, found.record.id);
      const t = res.locals.t as Translate;
      // a newer version is shown beside what was typed; another refusal (a locked year) says why
      const stale = err.messageKey === 'conflict.stale';
      return res.status(409).render('records/form', {
        ...locals,
        values: { ...req.body, version: now.record.version },
        ...(stale ? { conflict: describe(kind, now.record, t, req.moneyUnit) } : {}),
        formError: t(err.messageKey, err.params),
      });
    }
    flash(req, 'success', 'flash.saved');
    res.redirect(`/records/${kind.key}/${found.record.id}`);
  }

  /** @route GET /records/:kind/:rid/delete — asks first */
  function confirmDelete(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, records.kindOf(req.params.kind).key, idParam(req, 'rid'));
    records.checkWritable(found, 'delete');
    res.render('records/delete', { title: res.locals.t('common.delete'), ...found, kindKey: found.kind.key });
  }

  /** @route POST /records/:kind/:rid/delete */
  async function destroy(req: Request, res: Response) {
    const kind = records.kindOf(req.params.kind);
    const parsed = DeleteRecord.safeParse(req.body);
    if (!parsed.success) throw new NotFoundError();
    const gone = records.deleteRecord(db, req.user!, kind.key, idParam(req, 'rid'), parsed.data.version);
    flash(req, 'success', 'records.deleted');
    res.redirect(`/pairings/${gone.record.pairingId}`);
  }

  /** @route POST /records/:kind/:rid/restore — admin */
  function restore(req: Request, res: Response) {
    const kind = records.kindOf(req.params.kind);
    const found = records.restoreRecord(db, req.user!, kind.key, idParam(req, 'rid'));
    flash(req, 'success', 'common.restored');
    res.redirect(`/records/${kind.key}/${found.record.id}`);
  }

  /** @route GET /records/funds/:rid/confirm — the assisted side confirms receipt */
  function confirmForm(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, 'funds', idParam(req, 'rid'));
    records.checkConfirm(found);
    const values = {
      receivedFen: formValues([{ name: 'x', type: 'money' }], { x: found.record.disbursedFen }, req.moneyUnit).x,
      receivedFenUnit: req.moneyUnit,
      version: found.record.version,
    };
    res.render('records/confirm', {
      title: res.locals.t('funds.confirm'),
      ...found,
      values,
      details: describe(found.kind, found.record, res.locals.t, req.moneyUnit),
    });
  }

  /** @route POST /records/funds/:rid/confirm */
  async function confirm(req: Request, res: Response) {
    const found = records.getRecord(db, req.user!, 'funds', idParam(req, 'rid'));
    records.checkConfirm(found);
    const done = await submitForm(req, res, {
      schema: ConfirmFund,
      view: 'records/confirm',
      locals: {
        title: res.locals.t('funds.confirm'),
        ...found,
        details: describe(found.kind, found.record, res.locals.t, req.moneyUnit),
      },
      run: (input) => records.confirmFund(db, req.user!, found.record.id, input as { receivedFen: number; version: number }),
    });
    if (!done) return;
    flash(req, done.record.confirmation === 'confirmed' ? 'success' : 'info', `funds.flash.${String(done.record.confirmation)}`);
    res.redirect(`/records/funds/${found.record.id}`);
  }

  /** @route POST /records/:kind/:rid/comments — the other side's (or one's own) remark on a record */
  const comment = commentHandler(
    (req, body) => records.commentOnRecord(db, req.user!, records.kindOf(req.params.kind).key, idParam(req, 'rid'), body),
    (req) => `/records/${records.kindOf(req.params.kind).key}/${idParam(req, 'rid')}`,
  );

  /** @route GET /admin/deleted — admin: deleted records to restore */
  function deleted(req: Request, res: Response) {
    res.render('records/deleted', {
      title: res.locals.t('deleted.title'),
      items: records
        .listDeletedRecords(db, req.user!)
        .map((r) => ({ ...r, kindKey: r.kind.key, title: nameOf(r.kind, r.record, res.locals.t as Translate) ?? '' })),
      pairings: listDeletedPairings(db, req.user!),
    });
  }

  return [
    {
      method: 'get',
      path: '/records/:kind',
      access: 'user',
      before: [regionFilterByName(db), listFilters(db, 'records')],
      handler: list,
    },
    { method: 'get', path: '/pairings/:id/records/:kind/new', access: writers, handler: newForm },
    { method: 'post', path: '/pairings/:id/records/:kind', access: writers, handler: create },
    { method: 'get', path: '/records/funds/:rid/confirm', access: writers, handler: confirmForm },
    { method: 'post', path: '/records/funds/:rid/confirm', access: writers, handler: confirm },
    { method: 'get', path: '/records/:kind/:rid', access: 'user', handler: show },
    { method: 'get', path: '/records/:kind/:rid/edit', access: writers, handler: edit },
    { method: 'post', path: '/records/:kind/:rid', access: writers, handler: update },
    { method: 'get', path: '/records/:kind/:rid/delete', access: writers, handler: confirmDelete },
    { method: 'post', path: '/records/:kind/:rid/delete', access: writers, handler: destroy },
    { method: 'post', path: '/records/:kind/:rid/restore', access: ['admin'], handler: restore },
    { method: 'post', path: '/records/:kind/:rid/comments', access: COMMENTER_ROLES, handler: comment },
    { method: 'get', path: '/admin/deleted', access: ['admin'], handler: deleted },
  ];
}
