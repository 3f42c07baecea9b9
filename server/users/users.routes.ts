import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { RouteDef } from '../lib/routes.ts';
import { parseInput } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { historyLocals, historyPageAsked, legibleHistory } from '../audit/history.present.ts';
import type { Translate } from '../lib/i18n.ts';
import { regionFields, regionNames } from '../regions/regions.service.ts';
import { CreateUser, ListUsers, ResetPassword, USER_HISTORY_FIELDS, UpdateUser, roles, userLabelKey } from './users.schema.ts';
import { idParam } from '../middleware/params.ts';
import { accountRoutes } from './account.routes.ts';
import * as users from './users.service.ts';

const adminOnly = ['admin'] as const;

export function userRoutes(db: Db, clock: () => Date): RouteDef[] {
  /** @route GET /admin/users */
  function list(req: Request, res: Response) {
    const parsed = parseInput(ListUsers, req.query);
    const filter = parsed.ok ? parsed.data : {};
    res.render('users/list', {
      title: res.locals.t('users.title'),
      result: users.listUsers(db, req.user!.id, filter),
      filter,
      roles,
    });
  }

  /** @route GET /admin/users/new */
  function newForm(_req: Request, res: Response) {
    res.render('users/new', { title: res.locals.t('users.new'), values: { role: 'staff' }, roles });
  }

  /** @route POST /admin/users */
  async function create(req: Request, res: Response) {
    const created = await submitForm(req, res, {
      regions: regionFields(db, ['regionCode']),
      schema: CreateUser,
      view: 'users/new',
      locals: { title: res.locals.t('users.new'), roles },
      run: (input) => users.createUser(db, req.user!.id, input).then(() => input.username),
    });
    if (created === undefined) return;
    flash(req, 'success', 'users.created', { username: created });
    res.redirect('/admin/users');
  }

  /** @route GET /admin/users/:id/edit */
  function edit(req: Request, res: Response) {
    const user = users.getUser(db, idParam(req));
    res.render('users/edit', {
      title: res.locals.t('users.edit'),
      user,
      can: users.capabilitiesFor(db, req.user!.id, user),
      values: { ...user, regionCode: user.regionCode ?? '' },
      roles,
      ...historyLocals(
        legibleHistory(db, 'user', user.id, {
          fields: USER_HISTORY_FIELDS,
          labelKey: userLabelKey,
          nameOfChoice: (name, value) => (name === 'role' ? (res.locals.t as Translate)(`role.${String(value)}`) : undefined),
          t: res.locals.t as Translate,
          unit: req.moneyUnit,
          locale: req.locale,
          regionNamesOf: (codes) => regionNames(db, codes),
          page: historyPageAsked(req.query),
        }),
      ),
    });
  }

  /** @route POST /admin/users/:id */
  async function update(req: Request, res: Response) {
    const user = users.getUser(db, idParam(req));
    const saved = await submitForm(req, res, {
      regions: regionFields(db, ['regionCode']),
      schema: UpdateUser,
      view: 'users/edit',
      locals: { title: res.locals.t('users.edit'), user, can: users.capabilitiesFor(db, req.user!.id, user), roles },
      run: (input) => users.updateUser(db, req.user!.id, user.id, input, clock()),
    });
    if (!saved) return;
    flash(req, 'success', 'users.updated', { username: saved.username });
    res.redirect('/admin/users');
  }

  /** @route GET /admin/users/:id/disable — asks before disabling */
  function confirmDisable(req: Request, res: Response) {
    const user = users.getUser(db, idParam(req));
    users.checkCanDisable(db, req.user!.id, user);
    res.render('users/disable', { title: res.locals.t('users.disable'), user });
  }

  /** @route POST /admin/users/:id/disable */
  function disable(req: Request, res: Response) {
    const user = users.setActive(db, req.user!.id, idParam(req), false, clock());
    flash(req, 'success', 'users.disabledFlash', { username: user.username });
    res.redirect('/admin/users');
  }

  /** @route POST /admin/users/:id/enable */
  function enable(req: Request, res: Response) {
    const user = users.setActive(db, req.user!.id, idParam(req), true, clock());
    flash(req, 'success', 'users.enabledFlash', { username: user.username });
    res.redirect('/admin/users');
  }

  /** @route GET /admin/users/:id/password */
  function passwordForm(req: Request, res: Response) {
    const user = users.getUser(db, idParam(req));
    res.render('users/password', { title: res.locals.t('users.resetPassword'), user, values: {} });
  }

  /** @route POST /admin/users/:id/password */
  async function resetPassword(req: Request, res: Response) {
    const user = users.getUser(db, idParam(req));
    const done = await submitForm(req, res, {
      schema: ResetPassword,
      view: 'users/password',
      locals: { title: res.locals.t('users.resetPassword'), user },
      run: (input) => users.resetPassword(db, req.user!.id, user.id, input.password, clock()),
    });
    if (!done) return;
    flash(req, 'success', 'users.passwordReset', { username: user.username });
    res.redirect('/admin/users');
  }

  return [
    { method: 'get', path: '/admin/users', access: adminOnly, handler: list },
    { method: 'get', path: '/admin/users/new', access: adminOnly, handler: newForm },
    { method: 'post', path: '/admin/users', access: adminOnly, handler: create },
    { method: 'get', path: '/admin/users/:id/edit', access: adminOnly, handler: edit },
    { method: 'post', path: '/admin/users/:id', access: adminOnly, handler: update },
    { method: 'get', path: '/admin/users/:id/disable', access: adminOnly, handler: confirmDisable },
    { method: 'post', path: '/admin/users/:id/disable', access: adminOnly, handler: disable },
    { method: 'post', path: '/admin/users/:id/enable', access: adminOnly, handler: enable },
    { method: 'get', path: '/admin/users/:id/password', access: adminOnly, handler: passwordForm },
    { method: 'post', path: '/admin/users/:id/password', access: adminOnly, handler: resetPassword },
    ...accountRoutes(db, clock),
  ];
}
