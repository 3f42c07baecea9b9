import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Db } from '../../db/client.ts';
import { EXAMPLES, KIND_EXAMPLES, NOT_AUDITED, recordKindKeys, type Example } from './route-examples.ts';
import { allRoutes, routeKey, routeWorld, send, type RouteWorld } from './routes.support.ts';

/**
 * Every change is audited in the same transaction as the change (issue 8): each unsafe route of the
 * table, sent as a user sends it, writes exactly one audit row; and when the audit row cannot be
 * written, the change is not made either. A new route fails here until it has an example.
 */
const routes = allRoutes().filter((r) => r.method === 'post');

/** Tables whose rows are not domain data: sessions and one-time form tokens. */
const NOT_DATA = new Set(['sessions', 'form_tokens']);

/** A digest of every data table, to tell whether anything at all was written. */
function digest(db: Db): string {
  const hash = createHash('sha256');
  const tables = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    if (NOT_DATA.has(name)) continue;
    hash.update(name);
    for (const row of db.$client.prepare(`SELECT * FROM "${name}"`).raw().iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

const auditCount = (db: Db) => (db.$client.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

/** Every example to run: one per route, one per record kind for routes with a :kind. */
function cases(): { name: string; example: Example }[] {
  const list: { name: string; example: Example }[] = [];
  for (const route of routes) {
    const key = routeKey(route);
    if (key in NOT_AUDITED) continue;
    if (EXAMPLES[key]) list.push({ name: key, example: EXAMPLES[key] });
    else if (KIND_EXAMPLES[key])
      for (const kind of recordKindKeys) list.push({ name: `${key} (${kind})`, example: KIND_EXAMPLES[key](kind) });
  }
  return list;
}

describe('security: every change writes one audit row, in the same transaction', function () {
  this.timeout(300_000);
  let w: RouteWorld;
  before(async () => {
    w = await routeWorld();
  });

  it('every unsafe route of the table has an example here (or a reason it changes no data)', () => {
    const missing = routes.map(routeKey).filter((k) => !(k in NOT_AUDITED) && !EXAMPLES[k] && !KIND_EXAMPLES[k]);
    expect(missing).to.deep.equal([]);
  });

  for (const { name, example } of cases()) {
    it(`${name}: one audit row when it succeeds, nothing at all when the audit cannot be written`, async () => {
      const submission = await example(w);
      const { url } = submission;
      // 1. The audit trail is unavailable: the request fails and nothing is written.
      w.db.$client.exec(
        "CREATE TEMP TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END",
      );
      const before = digest(w.db);
      let failed;
      try {
        failed = await send(submission);
      } finally {
        w.db.$client.exec('DROP TRIGGER audit_down');
      }
      expect(failed.status, `${url} while the audit trail is down`).to.be.at.least(500);
      expect(digest(w.db), 'nothing written while the audit trail is down').to.equal(before);
      // 2. The same request with the audit trail up: it succeeds and writes exactly one row.
      const count = auditCount(w.db);
      const ok = await send(submission);
      const success = submission.okStatus ? [submission.okStatus] : [302, 303];
      expect(ok.status, `${url}: ${/class="(?:alert )?error"[^>]*>([^<]*)</.exec(ok.text)?.[1] ?? ''}`).to.be.oneOf(success);
      expect(auditCount(w.db) - count).to.equal(submission.auditRows ?? 1);
    });
  }
});
