import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import type { PdfPool } from '../lib/pdf.ts';
import type { RouteDef } from '../lib/routes.ts';
import { ids, parseInput, type FieldErrors } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { renderInvalid } from '../middleware/forms.ts';
import { submitInput } from './assessment.rounds.ts';
import { ObjectKeyParam, SubmitInput, keyParam, yearParam } from './assessment.schema.ts';
import * as assessment from './assessment.service.ts';
import { indexPage, scorecardPage } from './assessment.pages.ts';
import { scoreByAreaChart } from './assessment.charts.ts';
import { chartsReady } from '../lib/charts.ts';
import type { Translate } from '../lib/i18n.ts';
import type { Reader } from './assessment.present.ts';
import { exportRoutes } from './assessment.export.ts';
import { addEvidence, getEvidence } from './assessment.evidence.ts';
import { EVIDENCE_UPLOAD_PATH } from './assessment.upload.ts';
import { yearRoutes } from './assessment.year.routes.ts';
import { worklistInvalid, worklistRoutes } from './assessment.worklist.routes.ts';
import { frameworkEditorRoutes } from './assessment.editor.routes.ts';
import { indicatorFiles } from './assessment.files.ts';
import { areaNameOf } from './assessment.editor.check.ts';

const assessors = ['admin', 'evaluator'] as const;

/** The reader of a page: language and money unit. */
const reader = (req: Request, res: Response): Reader => ({ t: res.locals.t, locale: req.locale, unit: req.moneyUnit });

export function assessmentRoutes(db: Db, pdf: PdfPool): RouteDef[] {
  /** The scorecard again, with 422, the user's values and one message per field. */
  function scorecardInvalid(req: Request, res: Response, y: number, key: string, errors: FieldErrors) {
    const page = scorecardPage(db, req.user!, y, key, reader(req, res));
    const locals = {
      title: page.object.name,
      year: y,
      ...page,
      openForm: req.body?.indicatorKey,
      openKind: req.body?.kind,
    };
    renderInvalid(res, 'assessment/scorecard', locals, req.body, errors);
  }

  /** @route GET /assessment — the years with a framework */
  function index(req: Request, res: Response) {
    res.render('assessment/index', { title: res.locals.t('assessment.title'), ...indexPage(db, req.user!) });
  }

  /** @route GET /assessment/:year/scorecards/:key — one object's scorecard with its "why" panels */
  async function scorecard(req: Request, res: Response) {
    await chartsReady();
    const y = yearParam(req);
    const page = scorecardPage(db, req.user!, y, keyParam(req), reader(req, res));
    res.render('assessment/scorecard', {
      title: page.object.name,
      year: y,
      ...page,
      areaChart: scoreByAreaChart(page.object, res.locals.t as Translate, req.locale, areaNameOf(page.framework.doc, req.locale)),
    });
  }

  /** @route POST /assessment/:year/inputs — a judged score, n/a, veto, moderation, self-assessment or feedback */
  function input(req: Request, res: Response) {
    const y = yearParam(req);
    const key = ObjectKeyParam.safeParse(req.body?.objectKey);
    if (!key.success) throw new NotFoundError();
    const fromWorklist = req.body?.from === 'worklist';
    const again = (errors: FieldErrors) =>
      fromWorklist ? worklistInvalid(db, req, res, errors) : scorecardInvalid(req, res, y, key.data, errors);
    const parsed = parseInput(SubmitInput, req.body);
    if (!parsed.ok) return again(parsed.errors);
    try {
      submitInput(db, req.user!, y, parsed.data);
    } catch (err) {
      if (err instanceof ValidationError) return again(err.fields);
      throw err;
    }
    // from the worklist, saving moves on to the next item waiting (the saved one has left the list)
    if (fromWorklist) {
      flash(req, 'success', 'worklist.saved');
      return res.redirect(`/assessment/${y}/worklist${Number(req.body?.page) > 1 ? `?page=${Number(req.body.page)}` : ''}#next`);
    }
    flash(req, 'success', 'flash.saved');
    res.redirect(`/assessment/${y}/scorecards/${key.data}`);
  }

  /**
   * @route POST /assessment/:year/evidence — a file behind a self-assessment or a judged score (parsed by evidenceUpload).
   * Accepted or refused, the answer is a redirect to the scorecard with a message: the upload's URL
   * carries its CSRF token, which must not stay in the address bar or the history.
   */
  function uploadEvidence(req: Request, res: Response) {
    const y = yearParam(req);
    const key = ObjectKeyParam.safeParse(req.body?.objectKey);
    if (!key.success) throw new NotFoundError();
    const back = `/assessment/${y}/scorecards/${key.data}`;
    const refuse = (messageKey: string) => {
      flash(req, 'error', messageKey);
      res.redirect(303, back);
    };
    if (req.uploadRefusal || !req.file) return refuse(req.uploadRefusal ?? 'evidence.missing');
    try {
      const indicatorKey = typeof req.body?.indicatorKey === 'string' ? req.body.indicatorKey : '';
      addEvidence(db, req.user!, y, {
        objectKey: key.data,
        indicatorKey,
        filename: Buffer.from(req.file.originalname, 'latin1').toString('utf8'),
        mime: req.file.mimetype,
        data: req.file.buffer,
      });
    } catch (err) {
      if (err instanceof ValidationError) return refuse(err.fields.file?.key ?? 'evidence.missing');
      throw err;
    }
    flash(req, 'success', 'evidence.saved');
    res.redirect(303, back);
  }

  /** @route GET /assessment/:year/evidence/:id — download, for whoever may see the scorecard */
  function downloadEvidence(req: Request, res: Response) {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError();
    const file = getEvidence(db, req.user!, yearParam(req), id);
    res
      .type(file.mime)
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(file.data);
  }

  /** @route POST /assessment/frameworks — creates a year's framework, copied from the year before */
  function createFramework(req: Request, res: Response) {
    const invalid = (key: string) =>
      renderInvalid(res, 'assessment/index', { title: res.locals.t('assessment.title'), ...indexPage(db, req.user!) }, req.body, {
        year: { key },
      });
    const parsed = ids.year.safeParse(req.body?.year);
    if (!parsed.success) return invalid('validation.year');
    try {
      assessment.createFramework(db, req.user!, parsed.data);
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === 'assessment.frameworkExists') return invalid(err.messageKey);
      throw err;
    }
    flash(req, 'success', 'assessment.frameworkCreated', { year: parsed.data });
    res.redirect(`/assessment/${parsed.data}/framework`);
  }

  /** @route GET /assessment/:year/scorecards/:key/files — the files attached to the records behind an indicator */
  function files(req: Request, res: Response) {
    const y = yearParam(req);
    const indicator = typeof req.query.indicator === 'string' ? req.query.indicator : undefined;
    const found = indicatorFiles(db, req.user!, y, keyParam(req), indicator);
    const name = !found.indicator ? found.object.name : req.locale === 'en' ? found.indicator.name.en : found.indicator.name.zh;
    res.render('assessment/files', { title: res.locals.t('files.title', { name }), year: y, name, ...found });
  }

  return [
    { method: 'get', path: '/assessment', access: 'user', handler: index },
    { method: 'get', path: '/assessment/:year/scorecards/:key/files', access: 'user', handler: files },
    { method: 'post', path: '/assessment/frameworks', access: assessors, handler: createFramework },
    { method: 'get', path: '/assessment/:year/scorecards/:key', access: 'user', handler: scorecard },
    { method: 'post', path: '/assessment/:year/inputs', access: ['admin', 'evaluator', 'staff'], handler: input },
    { method: 'post', path: EVIDENCE_UPLOAD_PATH, access: ['admin', 'evaluator', 'staff'], handler: uploadEvidence },
    { method: 'get', path: '/assessment/:year/evidence/:id', access: 'user', handler: downloadEvidence },
    ...frameworkEditorRoutes(db),
    ...yearRoutes(db),
    ...worklistRoutes(db),
    ...exportRoutes(db, pdf),
  ];
}
