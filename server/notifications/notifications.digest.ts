import type { Db } from '../../db/client.ts';
import { filesReports, writesSide } from '../reports/reports.policy.ts';
import { reportsVersion as reportsVersionOf } from '../reports/reports.service.ts';
import { sideOfChange as sideOfRecordChange } from '../records/records.policy.ts';
import { chinaDay } from '../lib/china-time.ts';
import { sides, type Side } from '../../db/schema/index.ts';
import type { Logger } from '../lib/logger.ts';
import { formatMoney } from '../lib/money.ts';
import { RECORD_KINDS } from '../records/records.kinds.ts';
import { staleSummaries } from './notifications.live.ts';
import { mailDigests, type DigestMailer } from './notifications.mail.ts';
import { audience, collapse, type Audience } from './notifications.policy.ts';
import { objectionItems } from './notifications.objections.ts';
import * as q from './notifications.queries.ts';

/**
 * The daily digest (issue 11, reminders): once a day it makes that day's notifications — deadlines
 * in 7 and in 1 days with the side's report not submitted, reports returned, transfers waiting for
 * the other side's confirmation for more than 14 days, the partner's changes (one item per pairing,
 * however many edits), a new assessment stage — and, when a mailer is given (SMTP is set up),
 * mails each user with new items one message. A second run the same day adds nothing.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
export const TRANSFER_WAIT_DAYS = 14;

/** The calendar day in China (UTC+8) of a moment: the digest's day, whatever the server's time zone. */
export const dayOf = chinaDay;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export interface DigestResult {
  day: string;
  /** False when the day's digest had run already (nothing added). */
  ran: boolean;
  created: number;
  mailed: number;
}

export function digestRanFor(db: Db, now: Date): boolean {
  return q.runOf(db, dayOf(now)) !== undefined;
}

/**
 * What a run would add, read without holding the write lock (at national scale the reading is the
 * long part): the items, the deadline summaries no longer true (deleted), and what the run read
 * against — where the previous run stopped and the reports' version — for its commit to check.
 */
export interface DigestPlan {
  day: string;
  lastRead: number | undefined;
  to: number;
  reportsVersion: number;
  items: q.NewNotification[];
  stale: number[];
}

export function planDigest(db: Db, now: Date): DigestPlan {
  const day = dayOf(now);
  const lastRead = q.lastReadAuditId(db);
  const reportsVersion = reportsVersionOf(db);
  const from = lastRead ?? q.lastAuditBefore(db, now.getTime() - DAY_MS);
  const to = q.maxAuditId(db);
  const who = audience(q.activeUsers(db));
  return { day, lastRead, to, reportsVersion, items: collect(db, who, day, now, from, to), stale: staleSummaries(db, who) };
}

/**
 * Claims the plan's day and adds its items, in one short immediate transaction: the app's timer and
 * `npm run digest` may meet; the claim decides (undefined: the day was claimed already). 'stale'
 * when another day's run read the log meanwhile (plan again). A report moved since the reading
 * drops the deadline reminders of sides now submitted and keeps the summaries for the next run.
 */
export function commitDigest(db: Db, plan: DigestPlan): { firstId: number; created: number } | undefined | 'stale' {
  return db.$client
    .transaction(() => {
      if (q.runOf(db, plan.day)) return undefined;
      if (q.lastReadAuditId(db) !== plan.lastRead) return 'stale' as const;
      const moved = reportsVersionOf(db) !== plan.reportsVersion;
      q.claimRun(db, plan.day, plan.to);
      const firstId = q.maxNotificationId(db);
      let created = 0;
      for (const n of plan.items) if (!(moved && submittedSince(db, n)) && q.insertNotification(db, plan.day, n)) created++;
      if (!moved) for (const id of plan.stale) q.deleteNotification(db, id);
      q.finishRun(db, plan.day, { created });
      return { firstId, created };
    })
    .immediate();
}

/** A side's deadline reminder whose report has been submitted or accepted since the plan read it. */
function submittedSince(db: Db, n: q.NewNotification): boolean {
  if ((n.kind !== 'deadline7' && n.kind !== 'deadline1') || n.pairingId === undefined || !n.side || !n.year) return false;
  const status = q.reportStatusOf(db, n.pairingId, n.year, n.side);
  return status === 'submitted' || status === 'accepted';
}

export async function runDailyDigest(db: Db, now = new Date(), mailer?: DigestMailer, logger?: Logger): Promise<DigestResult> {
  const day = dayOf(now);
  let made: ReturnType<typeof commitDigest> = 'stale';
  for (let attempt = 0; made === 'stale' && attempt < 3; attempt++) {
    if (q.runOf(db, day)) made = undefined;
    else made = commitDigest(db, planDigest(db, now));
  }
  if (!made || made === 'stale') return { day, ran: false, created: 0, mailed: 0 };
  let mailed = 0;
  if (mailer && made.created > 0) {
    mailed = await mailDigests(db, day, q.madeAfter(db, made.firstId), mailer, logger);
    q.finishRun(db, day, { mailed });
  }
  logger?.info({ day, created: made.created, mailed }, 'daily digest');
  return { day, ran: true, created: made.created, mailed };
}

const nameOf = (p: q.PairingFacts) => `${p.assistingName} → ${p.assistedName}`;
const other = (side: Side): Side => (side === 'assisting' ? 'assisted' : 'assisting');
const parse = (json: string | null) => (json ? (JSON.parse(json) as Record<string, unknown>) : null);

function collect(db: Db, who: Audience, day: string, now: Date, from: number, to: number): q.NewNotification[] {
  const rows = from < to ? q.auditRowsBetween(db, from, to) : [];
  const transfers = q.waitingTransfers(db, now.getTime() - TRANSFER_WAIT_DAYS * DAY_MS);
  const ids = new Set<number>(transfers.map((f) => f.pairingId));
  for (const r of rows) if (r.pairingId !== null) ids.add(r.pairingId);
  const pairings = q.pairingsByIds(db, [...ids]);
  const items = [
    ...deadlineItems(db, day, who),
    ...returnedItems(db, rows, pairings, who),
    ...editItems(rows, pairings, who, day),
    ...stageItems(rows, who),
    ...objectionItems(db, rows, who),
    ...transferItems(transfers, pairings, who, now),
  ];
  return collapse(items, day);
}

/** A side's report not submitted 7 days (then 1 day) before its year's deadline: its office is told. */
function deadlineItems(db: Db, day: string, who: Audience): q.NewNotification[] {
  const out: q.NewNotification[] = [];
  for (const { year, deadline } of q.deadlines(db)) {
    const days = daysBetween(day, deadline);
    const kind = days >= 0 && days <= 1 ? 'deadline1' : days > 1 && days <= 7 ? 'deadline7' : null;
    if (!kind) continue;
    // pair-ups file no report of their own (reports.policy)
    for (const p of q.pairingsWithReports(db, year).filter((pairing) => filesReports(pairing.level))) {
      for (const side of sides) {
        const status = side === 'assisting' ? p.assistingStatus : p.assistedStatus;
        if (status === 'submitted' || status === 'accepted') continue;
        for (const person of who.officeOf(p, side))
          out.push({
            userId: person.id,
            kind,
            // a deadline moved after a reminder brings a new one at the new date
            key: `${kind}:${p.id}:${year}:${side}:${deadline}`,
            pairingId: p.id,
            year,
            side,
            link: `/pairings/${p.id}?year=${year}#reports`,
            params: { pairing: nameOf(p), year, deadline, days, side },
          });
      }
    }
  }
  return out;
}

/** A report returned with a reason: the submitting side's own office and whoever submitted it, if it still writes for the side (not the reviewer). */
function returnedItems(db: Db, rows: q.AuditRow[], pairings: Map<number, q.PairingFacts>, who: Audience): q.NewNotification[] {
  const out: q.NewNotification[] = [];
  for (const r of rows) {
    if (r.entity !== 'report' || r.action !== 'report.return') continue;
    const [pid, y, side] = r.entityId.split(':');
    const pairing = pairings.get(Number(pid));
    if (!pairing || (side !== 'assisting' && side !== 'assisted')) continue;
    const reason = String(parse(r.after)?.reason ?? '').slice(0, 200);
    // the submitter only while it still writes for the side (it may have moved region or role since)
    const submitter = who.byId(q.submitterOf(db, pairing.id, Number(y), side) ?? 0);
    const stillWrites = submitter !== undefined && writesSide(submitter.actor, pairing, side);
    const told = new Set([...who.officeOf(pairing, side), ...(stillWrites ? [submitter] : [])]);
    // the reviewer who returned it knows already
    for (const person of [...told].filter((p) => p.id !== r.actorId))
      out.push({
        userId: person.id,
        kind: 'returned',
        key: `returned:${r.id}`,
        pairingId: pairing.id,
        year: Number(y),
        link: `/pairings/${pairing.id}?year=${Number(y)}#reports`,
        params: { pairing: nameOf(pairing), year: Number(y), reason, side },
      });
  }
  return out;
}

function sideOfChange(r: q.AuditRow): Side | undefined {
  return sideOfRecordChange(r.entity, r.action, r.before, r.after);
}

/** The partner's changes since the last run: one item per pairing and reader, with the number of records changed. */
function editItems(rows: q.AuditRow[], pairings: Map<number, q.PairingFacts>, who: Audience, day: string): q.NewNotification[] {
  const changed = new Map<string, Set<string>>(); // "pairing side" → records
  for (const r of rows) {
    if (!r.entity.startsWith('record.') || r.pairingId === null) continue;
    const side = sideOfChange(r);
    if (!side) continue;
    const key = `${r.pairingId} ${side}`;
    const set = changed.get(key) ?? new Set<string>();
    set.add(`${r.entity}:${r.entityId}`);
    changed.set(key, set);
  }
  const perReader = new Map<string, q.NewNotification>();
  for (const [key, records] of changed) {
    const [pid, side] = key.split(' ') as [string, Side];
    const pairing = pairings.get(Number(pid));
    if (!pairing) continue;
    for (const person of who.partnersOf(pairing, other(side))) {
      const k = `${person.id} ${pairing.id}`;
      const item = perReader.get(k);
      if (item) item.params.n = Number(item.params.n) + records.size;
      else
        perReader.set(k, {
          userId: person.id,
          kind: 'edits',
          key: `edits:${pairing.id}:${day}`,
          pairingId: pairing.id,
          link: `/pairings/${pairing.id}#recent-h`,
          params: { pairing: nameOf(pairing), n: records.size },
        });
    }
  }
  return [...perReader.values()];
}

/** The stage a year's round reached since the last run (its latest move): evaluators and offices. */
function stageItems(rows: q.AuditRow[], who: Audience): q.NewNotification[] {
  const latest = new Map<number, { id: number; stage: string }>();
  for (const r of rows) {
    if (r.entity !== 'round') continue;
    const stage = parse(r.after)?.stage;
    if (typeof stage === 'string') latest.set(Number(r.entityId), { id: r.id, stage });
  }
  const out: q.NewNotification[] = [];
  for (const [year, { id, stage }] of latest)
    for (const person of who.assessment())
      out.push({
        userId: person.id,
        kind: 'stage',
        key: `stage:${year}:${id}`,
        year,
        link: `/assessment/${year}`,
        params: { year, stage },
      });
  return out;
}

/** A transfer unconfirmed for more than 14 days since it last changed: the confirming side's office, once per version. */
function transferItems(
  transfers: ReturnType<typeof q.waitingTransfers>,
  pairings: Map<number, q.PairingFacts>,
  who: Audience,
  now: Date,
): q.NewNotification[] {
  const confirming = RECORD_KINDS.funds.confirmedBy ?? 'assisted';
  const out: q.NewNotification[] = [];
  for (const f of transfers) {
    const pairing = pairings.get(f.pairingId);
    if (!pairing) continue;
    for (const person of who.officeOf(pairing, confirming))
      out.push({
        userId: person.id,
        kind: 'transfer',
        key: `transfer:${f.id}:${f.version}`,
        pairingId: pairing.id,
        link: `/records/funds/${f.id}`,
        params: {
          pairing: nameOf(pairing),
          purpose: f.purpose,
          amount: formatMoney(f.disbursedFen, 'wan'),
          days: Math.floor((now.getTime() - f.updatedAt) / DAY_MS),
        },
      });
  }
  return out;
}
