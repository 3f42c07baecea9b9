import type { Request, Response } from 'express';
import type { Translate } from '../lib/i18n.ts';
import { formatMoney } from '../lib/money.ts';
import type { RouteDef } from '../lib/routes.ts';
import { WARNING_RULES } from './records.warnings.ts';

/** @route GET /admin/warnings — admin: the plausibility warnings, read-only (records.warnings.ts) */
function list(req: Request, res: Response) {
  const t = res.locals.t as Translate;
  const unit = req.moneyUnit;
  const rules = WARNING_RULES.map((rule) => {
    const params: Record<string, string | number> = { ...rule.limit };
    for (const name of rule.money)
      if (typeof params[name] === 'number') params[name] = `${formatMoney(params[name], unit)} ${t(`money.${unit}`)}`;
    return {
      id: rule.id,
      name: t(`warning.${rule.id}`),
      rule: t(`warning.${rule.id}.rule`, params),
      kinds: rule.kinds.map((k) => t(`records.kind.${k}`)).join('、'),
    };
  });
  res.render('records/warning-rules', { title: t('warnings.rules.title'), rules });
}

export function warningRoutes(): RouteDef[] {
  return [{ method: 'get', path: '/admin/warnings', access: ['admin'], handler: list }];
}
