import type { Db } from '../../db/client.ts';
import { roles, sides, type Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { chinaDay } from '../lib/china-time.ts';
import { remember } from '../lib/data-version.ts';
import { yearBasis } from '../assessment/assessment.basis.ts';
import { objectKey, type FrameworkDoc } from '../assessment/assessment.framework.ts';
import { inputsOf, listFrameworkYears } from '../assessment/assessment.queries.ts';
import { yearResults } from '../assessment/assessment.service.ts';
import { MEASURES, rolledUpTotalsOfSet, type MeasureKey } from '../records/records.measures.ts';
import { pairingSetWithin } from '../pairings/pairings.queries.ts';
import { isWithin, prefixOfCode } from '../regions/regions.service.ts';
import { filesReports } from '../reports/reports.policy.ts';
import { stateOf, storedReportsOfYear } from '../reports/reports.service.ts';
import { HEADLINE, topsOf } from './home.board.ts';
import { daysUntil } from './home.staff.ts';
import { keptOnAssessment } from './home.kept.ts';
import * as q from './home.queries.ts';

/** A liaison's, an evaluator's and the admin's first screens (the office's is home.staff.ts). */

const TARGET_OF = new Map(MEASURES.flatMap((m) => ('target' in m ? [[m.key as MeasureKey, m.target as string]] : [])));

/**
 * A liaison's pairs this year against last year and the agreed targets: the pairings of its scope
 * whose parent lies outside it (the scope's own top pairs, each counting everything below it).
 */
export function liaisonTotals(db: Db, prefix: string, year: number) {
  return remember(db, `home.liaison ${prefix} ${year}`, () => {
    const set = pairingSetWithin(db, prefix, undefined);
    const facts = q.pairingFactsOf(db, set.json);
    const pairs = new Map(facts.map((p) => [p.id, p]));
    const ids = facts.map((p) => p.id);
    const tops = topsOf(facts);
    const now = rolledUpTotalsOfSet(db, ids, pairs, year).totals;
    const before = rolledUpTotalsOfSet(db, ids, pairs, year - 1).totals;
    const targets = q.agreementsOf(db, JSON.stringify(tops), year);
    return HEADLINE.map((key) => {
      const sum = (m: Map<number, Record<MeasureKey, number>>) => tops.reduce((n, id) => n + (m.get(id)?.[key] ?? 0), 0);
      const column = TARGET_OF.get(key);
      const target = column ? targets.reduce((n, t) => n + (t[column] ?? 0), 0) : 0;
      const actual = sum(now);
      const unit = MEASURES.find((m) => m.key === key)!.unit;
      return {
        key,
        unit,
        actual,
        previous: sum(before),
        change: actual - sum(before),
        target,
        percent: target > 0 ? Math.floor((actual / target) * 100) : null,
      };
    });
  });
}

/** Published scorecards of objects in the liaison's region (a region object within it, or a pairing of its scope). */
export function publishedScorecards(db: Db, actor: Actor, limit = 10) {
  // published scorecards are frozen: they change only with the assessment's state
  return keptOnAssessment(db, `home.scorecards ${actor.id} ${actor.role} ${actor.scope ?? ''}`, () => {
    const published = listFrameworkYears(db)
      .map(({ year }) => year)
      .filter((year) => yearBasis(db, year).round?.stage === 'published');
    return scorecardsIn(db, actor, published.reverse(), limit);
  });
}

function scorecardsIn(db: Db, actor: Actor, years: number[], limit: number) {
  const prefix = actor.scope;
  const out: { year: number; key: string; name: string; percent: number; grade: string; rank: number }[] = [];
  const set = prefix ? new Set(pairingSetWithin(db, prefix, undefined).ids) : null;
  const inRegion = (key: string) => {
    if (!prefix || !set) return true;
    const [kind, a, b] = key.split('.');
    return kind === 'r' ? isWithin(b ?? '', prefix) : set.has(Number(a));
  };
  for (const year of years) {
    for (const g of yearResults(db, actor, year).groups)
      for (const o of g.objects)
        if (inRegion(o.key) && out.length < limit)
          out.push({ year, key: o.key, name: o.name, percent: o.percent, grade: o.grade, rank: o.rank });
  }
  return out;
}

/** An evaluator's rounds in progress: its teams' assigned objects and the judged scores it still owes. */
export function evaluatorWork(db: Db, actor: Actor, now: Date) {
  const work = [];
  for (const { year } of listFrameworkYears(db).reverse()) {
    const basis = yearBasis(db, year);
    const round = basis.round;
    const doc = basis.framework?.doc;
    if (!round || !doc || round.stage === 'published') continue;
    // kept per basis (a score entered, a stage moved or a team changed makes a new one) and evaluator
    let byActor = keptWork.get(basis);
    if (!byActor) keptWork.set(basis, (byActor = new Map()));
    let objects = byActor.get(actor.id);
    if (!objects) byActor.set(actor.id, (objects = owedBy(db, actor, year, round.id, doc)));
    const due = doc.steps.find((s) => s.stage === round.stage)?.due ?? null;
    work.push({
      year,
      stage: round.stage,
      due,
      days: due ? daysUntil(due, now) : null,
      objects,
      missing: objects.reduce((n, o) => n + o.missing, 0),
    });
  }
  return work;
}

const keptWork = new WeakMap<object, Map<number, { key: string; name: string; owed: number; missing: number }[]>>();

function owedBy(db: Db, actor: Actor, year: number, roundId: number, doc: FrameworkDoc) {
  const assigned = [...new Set(doc.organisation.teams.filter((t) => t.evaluators.includes(actor.id)).flatMap((t) => t.assigned))];
  const sideOf = new Map<string, Side>();
  for (const g of doc.objects.groups) for (const m of g.members) sideOf.set(objectKey(m, g.side), g.side);
  const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  const mine = new Set(
    inputsOf(db, roundId)
      .filter((i) => i.kind === 'judged' && i.userId === actor.id)
      .map((i) => `${i.objectKey} ${i.indicatorKey}`),
  );
  const names = new Map(yearResults(db, actor, year).groups.flatMap((g) => g.objects.map((o) => [o.key, o.name] as const)));
  return assigned.map((key) => {
    const owed = judged.filter((i) => i.side === 'both' || i.side === sideOf.get(key));
    const missing = owed.filter((i) => !mine.has(`${key} ${i.key}`)).length;
    return { key, name: names.get(key) ?? key, owed: owed.length, missing };
  });
}

/**
 * The admin's open reports, counted by the province each side lies in: of the newest year whose
 * deadline has passed while any side is still open (overdue), and of the next deadline. Kept until
 * a report moves or the structure changes.
 */
export function openReportsByProvince(db: Db, now: Date) {
  const today = chinaDay(now);
  const years = db.$client.prepare('SELECT year, deadline FROM report_deadlines ORDER BY year DESC').all() as {
    year: number;
    deadline: string;
  }[];
  const passed = years.find((y) => y.deadline < today);
  const upcoming = [...years].reverse().find((y) => y.deadline >= today);
  const rowsOf = (year: number) => {
    const stored = storedReportsOfYear(db, year);
    const inForce = pairingsInForce(db, year);
    let byStored = keptOpen.get(inForce);
    if (!byStored) keptOpen.set(inForce, (byStored = new WeakMap()));
    let rows = byStored.get(stored);
    if (!rows) byStored.set(stored, (rows = countOpen(inForce, stored)));
    return rows;
  };
  // the stragglers of a year past its deadline, and the year whose deadline comes next
  const shown = [...(passed && rowsOf(passed.year).length > 0 ? [passed] : []), ...(upcoming ? [upcoming] : [])];
  if (shown.length === 0 && passed) shown.push(passed);
  return shown.map((y) => {
    const days = daysUntil(y.deadline, now);
    return { year: y.year, deadline: y.deadline, days, overdue: days < 0, rows: rowsOf(y.year) };
  });
}

const keptOpen = new WeakMap<object, WeakMap<object, { prefix: string; open: number }[]>>();

function countOpen(inForce: ReturnType<typeof pairingsInForce>, stored: ReturnType<typeof storedReportsOfYear>) {
  const byProvince = new Map<string, number>();
  for (const p of inForce) {
    if (!filesReports(p.level)) continue;
    for (const side of sides) {
      const state = stateOf(stored.get(p.id)?.[side], 1);
      if (state === 'submitted' || state === 'accepted') continue;
      const province = prefixOfCode(`${(side === 'assisting' ? p.assistingCode : p.assistedCode).slice(0, 2)}0000`);
      byProvince.set(province, (byProvince.get(province) ?? 0) + 1);
    }
  }
  return [...byProvince].map(([prefix, open]) => ({ prefix, open })).sort((a, b) => b.open - a.open);
}

function pairingsInForce(db: Db, year: number) {
  return remember(
    db,
    `home.inForce ${year}`,
    () =>
      db.$client
        .prepare(
          `SELECT id, level, assisting_code AS assistingCode, assisted_code AS assistedCode FROM pairings
           WHERE deleted_at IS NULL AND start_year <= ? AND (end_year IS NULL OR end_year >= ?)`,
        )
        .all(year, year) as { id: number; level: string; assistingCode: string; assistedCode: string }[],
    'structure',
  );
}

/** Users by role (active ones) and how many are switched off. */
export function userCounts(db: Db) {
  const rows = db.$client.prepare('SELECT role, active, count(*) AS n FROM users GROUP BY role, active').all() as {
    role: string;
    active: number;
    n: number;
  }[];
  return {
    byRole: roles.map((role) => ({ role, n: rows.find((r) => r.role === role && r.active === 1)?.n ?? 0 })),
    inactive: rows.filter((r) => r.active === 0).reduce((n, r) => n + r.n, 0),
  };
}

/** The newest audit entries (who did what, to what), for the admin's eye. */
export function recentAudit(db: Db, limit = 10) {
  return db.$client
    .prepare(
      `SELECT a.id AS id, a.created_at AS at, a.action AS action, a.entity AS entity, a.entity_id AS entityId, a.pairing_id AS pairingId,
         u.display_name AS actorName FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT ?`,
    )
    .all(limit) as {
    id: number;
    at: number;
    action: string;
    entity: string;
    entityId: string;
    pairingId: number | null;
    actorName: string | null;
  }[];
}

/** Transfers whose two sides disagree and transfers still unconfirmed, in the whole country (kept per data version). */
export function dataHealth(db: Db) {
  return remember(db, 'home.health', () => {
    const row = db.$client
      .prepare(
        "SELECT sum(confirmation = 'mismatch') AS mismatched, sum(confirmation = 'unconfirmed') AS unconfirmed FROM funds WHERE deleted_at IS NULL",
      )
      .get() as { mismatched: number | null; unconfirmed: number | null };
    return { mismatched: row.mismatched ?? 0, unconfirmed: row.unconfirmed ?? 0 };
  });
}
