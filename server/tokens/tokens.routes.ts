import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { Translate } from '../lib/i18n.ts';
import { formatDateTime } from '../lib/present.ts';
import type { RouteDef } from '../lib/routes.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { idParam } from '../middleware/params.ts';
import { CreateToken, DEFAULT_LIFETIME, TOKEN_LIFETIMES } from './tokens.schema.ts';
import * as tokens from './tokens.service.ts';

export const PROFILE_PATH = '/account';

/**
 * The profile page (who one is, and one's access tokens for the read API) and its token forms. A
 * new token is shown in the answer to the form that made it, once: that answer is a page, not a
 * redirect, so the token is never in the session, a flash or a URL, and it is not kept (no-store).
 */
export function tokenRoutes(db: Db, clock: () => Date): RouteDef[] {
  function profileLocals(req: Request, res: Response) {
    const t = res.locals.t as Translate;
    return {
      title: t('account.profile'),
      maxTokens: tokens.MAX_LIVE_TOKENS,
      lifetimes: TOKEN_LIFETIMES.map((days) => ({ value: days, label: t('tokens.days', { days }) })),
      tokens: tokens.listTokens(db, req.user!, clock()).map((k) => ({
        ...k,
        createdAt: formatDateTime(k.createdAt),
        expiresAt: formatDateTime(k.expiresAt),
        lastUsedAt: k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('tokens.neverUsed'),
        stateLabel: t(`tokens.state.${k.state}`),
        active: k.state === 'active',
      })),
    };
  }

  /** @route GET /account — the profile page with the access tokens */
  function profile(req: Request, res: Response) {
    res.render('tokens/account', { ...profileLocals(req, res), values: { days: DEFAULT_LIFETIME } });
  }

  /** @route POST /account/tokens — makes a token and shows it, this once */
  async function create(req: Request, res: Response) {
    const created = await submitForm(req, res, {
      schema: CreateToken,
      view: 'tokens/account',
      locals: profileLocals(req, res),
      run: (input) => tokens.createToken(db, req.user!, input, clock()),
    });
    if (!created) return;
    // a repeat of this form (a double click, a reload) goes to the profile page: the token is not shown again
    req.settleForm?.(PROFILE_PATH);
    res.render('tokens/account', {
      ...profileLocals(req, res),
      values: { days: DEFAULT_LIFETIME },
      created: { ...created, expiresAt: formatDateTime(created.expiresAt) },
    });
  }

  /** @route GET /account/tokens/:tokenId/revoke — asks first */
  function confirmRevoke(req: Request, res: Response) {
    const token = tokens.getToken(db, req.user!, idParam(req, 'tokenId'), clock());
    res.render('tokens/revoke', { title: res.locals.t('tokens.revoke'), token });
  }

  /** @route POST /account/tokens/:tokenId/revoke — stops the token at once */
  function revoke(req: Request, res: Response) {
    const token = tokens.revokeToken(db, req.user!, idParam(req, 'tokenId'), clock());
    flash(req, 'success', 'tokens.revoked', { name: token.name });
    res.redirect(PROFILE_PATH);
  }

  return [
    { method: 'get', path: PROFILE_PATH, access: 'user', handler: profile },
    { method: 'post', path: `${PROFILE_PATH}/tokens`, access: 'user', handler: create },
    { method: 'get', path: `${PROFILE_PATH}/tokens/:tokenId/revoke`, access: 'user', handler: confirmRevoke },
    { method: 'post', path: `${PROFILE_PATH}/tokens/:tokenId/revoke`, access: 'user', handler: revoke },
  ];
}
