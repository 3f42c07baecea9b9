import type { Database, Statement } from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import type { FrameworkDoc } from './assessment.framework.ts';
import { objectFacts, pairingSidesOf, partnersOf, seesObject, teamIndex, type ObjectFacts } from './assessment.policy.objects.ts';
import * as q from './assessment.queries.ts';

/**
 * What every assessment page of a year reads before its scorecards: the framework (its document
 * parsed), the round, the sides of the pairing objects and the teams per object. Kept per data
 * version as assessment.cache.ts keeps the year's results: `assessment:<Y>` (framework, round,
 * inputs) and `structure` (pairings) are bumped by triggers on every write, so a kept basis is used
 * only while neither moved. Inside a transaction it is read afresh and not kept.
 */

type FrameworkRow = NonNullable<ReturnType<typeof q.findFramework>>;
type RoundRow = NonNullable<ReturnType<typeof q.findRound>>;
type Team = FrameworkDoc['organisation']['teams'][number];

export interface YearBasis {
  readonly framework: (FrameworkRow & { doc: FrameworkDoc }) | undefined;
  readonly round: RoundRow | undefined;
  /** The sides of the framework's pairing objects (empty without a framework). */
  readonly sides: ReadonlyMap<number, readonly string[]>;
  readonly teams: ReadonlyMap<string, Team[]>;
  /** The regions paired with each region object in the year. */
  readonly partners: ReadonlyMap<string, readonly string[]>;
  /** Who entered a self-assessment in the round (they may not approve it: the four-eyes rule). */
  readonly selfAuthors: ReadonlySet<number>;
  /** Which objects the actor sees at the round's stage, worked out once per actor and object. */
  visible(actor: Actor): (key: string) => boolean;
  /** The facts of one object for the policy. */
  facts(key: string): ObjectFacts;
}

/** What an actor's view of the assessment depends on: who it is, its role and its scope. */
export const viewerKey = (actor: Actor) => `${actor.role}|${actor.id}|${actor.scope ?? ''}`;

export const basisDependencies = (year: number) => ['structure', `assessment:${year}`];

/** Actors whose visibility is kept per basis: the busiest few, least recently used out. */
const KEPT_ACTORS = 64;
const KEPT_YEARS = 4;

interface BasisCache {
  readonly stampOf: Statement<string[], { key: string; version: number }>;
  readonly years: Map<number, { stamp: string; basis: YearBasis }>;
  reads: number;
}

const caches = new WeakMap<Database, BasisCache>();

function cacheOf(db: Db): BasisCache {
  let cache = caches.get(db.$client);
  if (!cache) {
    const stampOf = db.$client.prepare<string[], { key: string; version: number }>(
      'SELECT key, version FROM data_versions WHERE key IN (?, ?) ORDER BY key',
    );
    caches.set(db.$client, (cache = { stampOf, years: new Map(), reads: 0 }));
  }
  return cache;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Date)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function read(db: Db, year: number): YearBasis {
  const row = q.findFramework(db, year);
  const framework = row && deepFreeze({ ...row, doc: row.doc as FrameworkDoc });
  const round = q.findRound(db, year);
  if (round) deepFreeze(round);
  const doc = framework?.doc;
  const sides = doc ? pairingSidesOf(db, doc) : new Map<number, string[]>();
  const teams = doc ? teamIndex(doc) : new Map<string, Team[]>();
  const partners = doc ? partnersOf(db, doc, year) : new Map<string, string[]>();
  const stage = round?.stage ?? null;
  const selfAuthors: ReadonlySet<number> = new Set(round ? q.selfAuthorsOf(db, round.id) : []);
  const seen = new Map<string, Map<string, boolean>>();
  return {
    framework,
    round,
    sides,
    teams,
    partners,
    selfAuthors,
    facts: (key) => (doc ? objectFacts(doc, key, sides, teams, partners) : { key, codes: [], teams: [], partners: [] }),
    visible(actor) {
      if (actor.role === 'admin' || !doc) return () => actor.role === 'admin';
      const who = viewerKey(actor);
      let keys = seen.get(who);
      seen.delete(who);
      seen.set(who, (keys ??= new Map()));
      for (const old of seen.keys()) if (seen.size > KEPT_ACTORS) seen.delete(old);
      return (key) => {
        let sees = keys.get(key);
        if (sees === undefined)
          keys.set(key, (sees = seesObject(actor, doc, stage, objectFacts(doc, key, sides, teams, partners))));
        return sees;
      };
    },
  };
}

/** The year's basis: one read of two counters when nothing moved. */
export function yearBasis(db: Db, year: number): YearBasis {
  const cache = cacheOf(db);
  if (db.$client.inTransaction) {
    cache.reads += 1;
    return read(db, year);
  }
  const stampNow = () =>
    cache.stampOf
      .all(...basisDependencies(year))
      .map((r) => `${r.key}=${r.version}`)
      .join(',');
  // a kept basis still current: one read of the counters, no transaction
  const kept = cache.years.get(year);
  if (kept && kept.stamp === stampNow()) {
    cache.years.delete(year);
    cache.years.set(year, kept);
    return kept.basis;
  }
  // otherwise the counters and the reads see one snapshot (another process may write meanwhile)
  return db.$client.transaction(() => {
    const stamp = stampNow();
    cache.reads += 1;
    const fresh = { stamp, basis: read(db, year) };
    cache.years.delete(year);
    cache.years.set(year, fresh);
    for (const old of cache.years.keys()) if (cache.years.size > KEPT_YEARS) cache.years.delete(old);
    return fresh.basis;
  })();
}

/** How many times a database's bases were read (not served from the cache): tests count them. */
export function basisReadsOf(db: Db): number {
  return caches.get(db.$client)?.reads ?? 0;
}
