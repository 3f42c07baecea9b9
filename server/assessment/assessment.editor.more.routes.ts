import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { FrameworkInvalid } from './assessment.editor.check.ts';
import * as edits from './assessment.editor.ts';
import { asValues, choices, editable, frameworkForm } from './assessment.editor.forms.ts';
import { problemText } from './assessment.editor.json.ts';
import { GradingForm, VersionForm, VetoForm, itemParam } from './assessment.editor.schema.ts';
import { editFramework, hasFramework, resetFromPrevious } from './assessment.editor.service.ts';
import { SaveFramework, yearParam } from './assessment.schema.ts';
import { getFramework, saveFramework } from './assessment.service.ts';
import { renderInvalid } from '../middleware/forms.ts';
import { decideYear } from './assessment.policy.ts';
import { yearFacts } from './assessment.facts.ts';
import { parseInput } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';

const assessors = ['admin', 'evaluator'] as const;

/** The framework's grading (cut-offs, quota, tolerance), its vetoes, its JSON and its reset from last year. */
export function frameworkMoreRoutes(db: Db): RouteDef[] {
  const t = (res: Response) => res.locals.t as Translate;

  // ── grading ──
  const gradingLocals = (req: Request, res: Response, y: number) => {
    const fw = editable(db, req, y);
    const g = fw.doc.grading;
    return {
      year: y,
      title: t(res)('framework.grading.title', { year: y }),
      ...choices(fw.doc, t(res), req.locale),
      initial: asValues({
        version: fw.version,
        ...g.cutoffs,
        quota: g.quotaGoodPercent,
        tolerance: fw.doc.content.judgedTolerancePercent,
      }),
    };
  };

  /** @route GET /assessment/:year/framework/grading — cut-offs, the quota of 好 and the judged tolerance */
  function gradingForm(req: Request, res: Response) {
    const locals = gradingLocals(req, res, yearParam(req));
    res.render('assessment/framework-grading', { ...locals, values: locals.initial });
  }

  /** @route POST /assessment/:year/framework/grading */
  async function saveGrading(req: Request, res: Response) {
    const y = yearParam(req);
    await frameworkForm(req, res, {
      year: y,
      schema: GradingForm,
      view: 'assessment/framework-grading',
      locals: () => gradingLocals(req, res, y),
      run: (v) => editFramework(db, req.user!, y, v.version, (doc) => edits.setGrading(doc, v)),
    });
  }

  // ── vetoes ──
  const vetoLocals = (req: Request, res: Response, y: number, key?: string) => {
    const fw = editable(db, req, y);
    const veto = key === undefined ? undefined : fw.doc.grading.vetoes.find((v) => v.key === key);
    if (key !== undefined && !veto) throw new NotFoundError();
    return {
      year: y,
      title: veto ? t(res)('framework.veto.edit', { name: veto.name }) : t(res)('framework.veto.new'),
      action: `/assessment/${y}/framework/vetoes${veto ? `/${veto.key}` : ''}`,
      isNew: !veto,
      ...choices(fw.doc, t(res), req.locale),
      initial: asValues({ version: fw.version, name: veto?.name, cap: veto?.cap ?? 'average' }),
      removeAction: veto ? `/assessment/${y}/framework/vetoes/${veto.key}/remove` : null,
      veto,
    };
  };

  /** @route GET /assessment/:year/framework/vetoes/new and /vetoes/:veto — a veto item's form */
  function vetoForm(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.veto === undefined ? undefined : itemParam(req, 'veto');
    const locals = vetoLocals(req, res, y, key);
    res.render('assessment/framework-veto', { ...locals, values: locals.initial });
  }

  /** @route POST /assessment/:year/framework/vetoes and /vetoes/:veto — adds or changes a veto item */
  async function saveVeto(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.veto === undefined ? undefined : itemParam(req, 'veto');
    await frameworkForm(req, res, {
      year: y,
      schema: VetoForm,
      view: 'assessment/framework-veto',
      locals: () => vetoLocals(req, res, y, key),
      run: (v) =>
        editFramework(db, req.user!, y, v.version, (doc) => (key ? edits.updateVeto(doc, key, v) : edits.addVeto(doc, v)), {
          veto: key ?? v.key ?? '',
        }),
    });
  }

  const confirmLocals = (req: Request, res: Response, y: number, kind: 'veto' | 'reset') => {
    const fw = editable(db, req, y);
    if (kind === 'reset') {
      if (!hasFramework(db, y - 1)) throw new NotFoundError();
      return {
        year: y,
        title: t(res)('framework.reset.title', { year: y, previous: y - 1 }),
        text: t(res)('framework.reset.text', { year: y, previous: y - 1 }),
        action: `/assessment/${y}/framework/reset`,
        button: t(res)('framework.reset.button', { previous: y - 1 }),
        values: { version: String(fw.version) },
      };
    }
    const key = itemParam(req, 'veto');
    const veto = fw.doc.grading.vetoes.find((v) => v.key === key);
    if (!veto) throw new NotFoundError();
    return {
      year: y,
      title: t(res)('framework.remove.veto', { name: veto.name }),
      text: t(res)('framework.remove.veto.text', { name: veto.name }),
      action: `/assessment/${y}/framework/vetoes/${key}/remove`,
      button: t(res)('framework.remove.button'),
      values: { version: String(fw.version) },
    };
  };

  const confirmPage = (kind: 'veto' | 'reset') =>
    /** @route GET /assessment/:year/framework/vetoes/:veto/remove and /framework/reset — asks first */
    function (req: Request, res: Response) {
      res.render('assessment/framework-confirm', confirmLocals(req, res, yearParam(req), kind));
    };

  const confirmed = (kind: 'veto' | 'reset') =>
    /** @route POST /assessment/:year/framework/vetoes/:veto/remove and /framework/reset */
    async function (req: Request, res: Response) {
      const y = yearParam(req);
      await frameworkForm(req, res, {
        year: y,
        schema: VersionForm,
        view: 'assessment/framework-confirm',
        locals: () => confirmLocals(req, res, y, kind),
        run: (v) =>
          kind === 'reset'
            ? resetFromPrevious(db, req.user!, y, v.version)
            : editFramework(db, req.user!, y, v.version, (doc) => edits.removeVeto(doc, itemParam(req, 'veto'))),
        flash: kind === 'reset' ? 'framework.reset.done' : 'framework.removed',
      });
    };

  // ── JSON, for power users ──
  const jsonLocals = (req: Request, res: Response, y: number) => {
    const fw = editable(db, req, y);
    // the organisation (teams and members) is set by an admin or the round's owner: others are told first
    const organisation = decideYear(req.user!, yearFacts(db, y), 'editOrganisation') === null;
    return { year: y, title: t(res)('framework.json.title', { year: y }), fw, can: { editOrganisation: organisation } };
  };

  /** @route GET /assessment/:year/framework.json — the document, downloaded */
  function exportJson(req: Request, res: Response) {
    const y = yearParam(req);
    const { doc } = getFramework(db, y);
    res
      .type('application/json')
      .set('Content-Disposition', `attachment; filename="framework-${y}.json"`)
      .send(JSON.stringify(doc, null, 2));
  }

  /** @route GET /assessment/:year/framework/json — the whole document as JSON, to paste a changed one */
  function jsonForm(req: Request, res: Response) {
    const y = yearParam(req);
    const locals = jsonLocals(req, res, y);
    res.render('assessment/framework-json', {
      ...locals,
      values: { doc: JSON.stringify(locals.fw.doc, null, 2), version: String(locals.fw.version) },
    });
  }

  /**
   * @route POST /assessment/:year/framework — imports a whole document. Its problems come back as a
   * list in the reader's words (line and column for a syntax error; area and indicator by name).
   */
  function importJson(req: Request, res: Response) {
    const y = yearParam(req);
    const parsed = parseInput(SaveFramework, req.body);
    const again = (fields: Parameters<typeof renderInvalid>[4], problems: string[] = []) =>
      renderInvalid(res, 'assessment/framework-json', { ...jsonLocals(req, res, y), problems }, req.body, fields);
    if (!parsed.ok) return again(parsed.errors);
    try {
      saveFramework(db, req.user!, y, parsed.data.doc, parsed.data.version);
    } catch (err) {
      if (err instanceof ValidationError && !(err instanceof FrameworkInvalid)) return again(err.fields); // the organisation's rules
      if (!(err instanceof FrameworkInvalid)) throw err;
      const texts = err.problems.map((p) => problemText(p, t(res), req.locale));
      return again({ doc: { key: 'framework.text', params: { text: texts[0] ?? '' } } }, texts);
    }
    flash(req, 'success', 'flash.saved');
    res.redirect(`/assessment/${y}/framework`);
  }

  const fw = '/assessment/:year/framework';
  return [
    { method: 'get', path: `${fw}.json`, access: 'user', handler: exportJson },
    { method: 'get', path: `${fw}/json`, access: assessors, handler: jsonForm },
    { method: 'post', path: fw, access: assessors, handler: importJson },
    { method: 'get', path: `${fw}/grading`, access: assessors, handler: gradingForm },
    { method: 'post', path: `${fw}/grading`, access: assessors, handler: saveGrading },
    { method: 'get', path: `${fw}/vetoes/new`, access: assessors, handler: vetoForm },
    { method: 'post', path: `${fw}/vetoes`, access: assessors, handler: saveVeto },
    { method: 'get', path: `${fw}/vetoes/:veto`, access: assessors, handler: vetoForm },
    { method: 'post', path: `${fw}/vetoes/:veto`, access: assessors, handler: saveVeto },
    { method: 'get', path: `${fw}/vetoes/:veto/remove`, access: assessors, handler: confirmPage('veto') },
    { method: 'post', path: `${fw}/vetoes/:veto/remove`, access: assessors, handler: confirmed('veto') },
    { method: 'get', path: `${fw}/reset`, access: assessors, handler: confirmPage('reset') },
    { method: 'post', path: `${fw}/reset`, access: assessors, handler: confirmed('reset') },
  ];
}
