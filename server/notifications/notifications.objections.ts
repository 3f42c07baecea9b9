import type { Db } from '../../db/client.ts';
import { describeInputTarget } from '../assessment/assessment.describe.ts';
import { yearBasis } from '../assessment/assessment.basis.ts';
import { decideInput } from '../assessment/assessment.policy.ts';
import type { Audience } from './notifications.policy.ts';
import type * as q from './notifications.queries.ts';

/**
 * The right of reply in the digest: an objection raised is told to those who may answer it, an
 * answer given to the office that may object — both decided by the assessment policy (decideInput
 * at feedback), never restated here. One item per objection or answer (its audit row).
 */
export function objectionItems(db: Db, rows: q.AuditRow[], who: Audience): q.NewNotification[] {
  const out: q.NewNotification[] = [];
  for (const r of rows) {
    if (r.entity !== 'round.input' || (r.action !== 'objection' && r.action !== 'reply')) continue;
    const [yearText = '', objectKey = '', indicatorKey = ''] = String(r.entityId).split(':');
    const year = Number(yearText);
    const basis = yearBasis(db, year);
    if (!basis.framework || !Number.isInteger(year)) continue;
    const facts = basis.facts(objectKey);
    // an objection goes to those who answer it; an answer to the office that objected
    const action = r.action === 'objection' ? 'reply' : 'object';
    const people = who.assessment().filter((p) => p.id !== r.actorId && decideInput(p.actor, 'feedback', facts, action) === null);
    for (const person of people)
      out.push({
        userId: person.id,
        kind: r.action,
        key: `${r.action}:${r.id}`,
        year,
        link: `/assessment/${year}/scorecards/${objectKey}#side-${indicatorKey}`,
        params: { what: describeInputTarget(db, String(r.entityId), 'zh-CN') },
      });
  }
  return out;
}
