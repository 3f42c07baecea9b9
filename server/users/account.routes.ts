import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { CHANGE_PASSWORD_PATH } from '../auth/password-gate.ts';
import type { RouteDef } from '../lib/routes.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { ChangeOwnPassword } from './users.schema.ts';
import * as users from './users.service.ts';

/** A user's own account pages. */
export function accountRoutes(db: Db, clock: () => Date): RouteDef[] {
  const locals = (req: Request, res: Response) => ({
    title: res.locals.t('account.changePassword'),
    forced: req.user?.mustChangePassword === true,
  });

  /** @route GET /account/password */
  function passwordForm(req: Request, res: Response) {
    res.render('users/change-password', { ...locals(req, res), values: {} });
  }

  /** @route POST /account/password — ends the user's other sessions (this one goes on) and revokes their tokens */
  async function changePassword(req: Request, res: Response) {
    const done = await submitForm(req, res, {
      schema: ChangeOwnPassword,
      view: 'users/change-password',
      locals: locals(req, res),
      run: (input) => users.changeOwnPassword(db, req.user!.id, req.sessionID, input, clock()),
    });
    if (!done) return;
    flash(req, 'success', 'account.passwordChanged');
    res.redirect('/');
  }

  return [
    { method: 'get', path: CHANGE_PASSWORD_PATH, access: 'user', handler: passwordForm },
    { method: 'post', path: CHANGE_PASSWORD_PATH, access: 'user', handler: changePassword },
  ];
}
