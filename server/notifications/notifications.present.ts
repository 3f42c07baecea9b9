import type { NotificationKind } from '../../db/schema/index.ts';
import type { Translate } from '../lib/i18n.ts';

/**
 * A notification's label in the reader's language, from its kind and the names and figures kept
 * with it ("玄武区 → 新城区：对方修改了 3 条记录"). A side or a stage is kept as its key and named here.
 */
export function labelOf(t: Translate, kind: NotificationKind, params: string | Record<string, unknown> | null): string {
  const p: Record<string, unknown> =
    typeof params === 'string' ? (JSON.parse(params) as Record<string, unknown>) : { ...(params ?? {}) };
  if (typeof p.side === 'string') p.sideName = t(`side.${p.side}`);
  if (typeof p.stage === 'string') p.stageName = t(`stage.${p.stage}`);
  return t(p.many ? `notify.kind.${kind}.many` : `notify.kind.${kind}`, p);
}
