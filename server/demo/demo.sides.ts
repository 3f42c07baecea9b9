import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { yearBasis } from '../assessment/assessment.basis.ts';
import { submitInput } from '../assessment/assessment.rounds.ts';
import { loadSessionUser } from '../auth/auth.service.ts';
import type { Actor } from '../lib/actor.ts';

/**
 * The demo's sides of 陕西's scorecard: the office's own scores and statements, 江苏's opinion of
 * them (at self-assessment), and in the feedback stage an objection answered by the evaluator, so
 * the three columns, the worklist and the PDF's annex show something. Without the demo accounts
 * nothing is added.
 */
const SHAANXI = 'r.assisted.610000';

function actor(db: Db, username: string): Actor | undefined {
  const row = db.get<{ id: number }>(sql`SELECT id FROM users WHERE username = ${username} AND active = 1`);
  return (row && loadSessionUser(db, row.id)) || undefined;
}

/** At self-assessment: 陕西 scores itself on the judged indicators, 江苏 agrees with one and not the other. */
export function seedSelfAndOpinions(db: Db, year: number) {
  const office = actor(db, 'office.shaanxi');
  const partner = actor(db, 'office.jiangsu');
  if (!office || !partner) return;
  const self = (indicatorKey: string, score: number, text: string) =>
    submitInput(db, office, year, { kind: 'self', objectKey: SHAANXI, indicatorKey, score, text });
  self('org.leadership', 9.5, '召开联席会议 4 次，省级领导互访 2 次，工作台账完整。');
  self('innovation', 5, '“消费帮扶＋电商直播”模式覆盖 12 个县。');
  // 江苏 gives its opinion only where the demo's pairings make it 陕西's partner that year
  if (!yearBasis(db, year).partners.get('610000')?.includes('320000')) return;
  const opinion = (indicatorKey: string, decision: 'yes' | 'no', text: string) =>
    submitInput(db, partner, year, { kind: 'opinion', objectKey: SHAANXI, indicatorKey, decision, text });
  opinion('org.leadership', 'yes', '与我方记录一致。');
  opinion('innovation', 'no', '直播带货覆盖县数据我方只核实到 8 个。');
}

/** In the feedback stage: 陕西 objects to its innovation score and the evaluator accepts it in part. */
export function seedObjection(db: Db, year: number, evaluator: Actor) {
  const office = actor(db, 'office.shaanxi');
  if (!office) return;
  submitInput(db, office, year, {
    kind: 'objection',
    objectKey: SHAANXI,
    indicatorKey: 'innovation',
    text: '已补充 12 个县的直播销售台账，请复核创新做法得分。',
  });
  submitInput(db, evaluator, year, {
    kind: 'reply',
    objectKey: SHAANXI,
    indicatorKey: 'innovation',
    decision: 'yes',
    score: 4.5,
    text: '补充台账属实，覆盖县数核实为 12 个，改为 4.5 分。',
  });
}
