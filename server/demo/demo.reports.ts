import type { Db } from '../../db/client.ts';
import { isWithin, prefixOfCode } from '../regions/regions.service.ts';
import { createRandom } from './demo.random.ts';

/**
 * The demo's yearly reports (填报/报送), so each home page has something to say: every year's
 * deadline (20 January of the next year); the years before last all accepted; last year mostly
 * accepted, some awaiting review and one returned with a reason; this year (the demo's last) under
 * way: some submitted, one returned, the rest being entered. Written straight into the tables,
 * like the rest of the demo data, once (when no deadline is set yet).
 */
export function seedReports(db: Db, lastYear: number, now = new Date()) {
  const c = db.$client;
  if ((c.prepare('SELECT count(*) FROM report_deadlines').pluck().get() as number) > 0) return;
  const firstYear = (c.prepare('SELECT min(year) FROM funds').pluck().get() as number | null) ?? lastYear;
  const offices = c
    .prepare("SELECT id, region_code AS code FROM users WHERE role = 'staff' AND region_code IS NOT NULL")
    .all() as {
    id: number;
    code: string;
  }[];
  const reviewer =
    (c.prepare("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").pluck().get() as number | undefined) ?? null;
  const pairs = c
    .prepare(
      `SELECT id, assisting_code AS assisting, assisted_code AS assisted, start_year AS startYear, end_year AS endYear
       FROM pairings WHERE deleted_at IS NULL AND level <> 'pairup' ORDER BY id`,
    )
    .all() as { id: number; assisting: string; assisted: string; startYear: number; endYear: number | null }[];
  const deadline = c.prepare('INSERT INTO report_deadlines (year, deadline, set_by) VALUES (?, ?, ?)');
  const report = c.prepare(
    `INSERT INTO reports (pairing_id, year, side, status, submitted_by, submitted_at, submitted_scope, reviewed_by, reviewed_at, return_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rnd = createRandom(20250120);
  const at = (y: number, m: number, d: number) => Math.min(new Date(y, m - 1, d).getTime(), now.getTime());
  c.transaction(() => {
    for (let year = firstYear; year <= lastYear; year++) {
      deadline.run(year, `${year + 1}-01-20`, reviewer);
      let returned = 0;
      for (const p of pairs) {
        if (p.startYear > year || (p.endYear !== null && p.endYear < year)) continue;
        for (const [side, code] of [
          ['assisting', p.assisting],
          ['assisted', p.assisted],
        ] as const) {
          // the nearest demo office of the side submits (none: the side's own office, which has no account here)
          const office = offices
            .filter((o) => isWithin(code, prefixOfCode(o.code)))
            .sort((a, b) => b.code.length - a.code.length)[0];
          const roll = rnd.int(1, 100);
          let status: 'submitted' | 'accepted' | 'returned' | null;
          if (year < lastYear - 1) status = 'accepted';
          else if (year === lastYear - 1) status = roll <= 85 ? 'accepted' : 'submitted';
          else status = roll <= 30 ? 'submitted' : null;
          if (status === 'submitted' && returned < 1 && roll % 7 === 0) {
            status = 'returned';
            returned += 1;
          }
          if (status === null) continue;
          const submittedAt = year < lastYear ? at(year + 1, 1, rnd.int(5, 19)) : at(year, 11, rnd.int(1, 28));
          const reviewed = status === 'submitted' ? null : submittedAt + 3 * 86_400_000;
          report.run(
            p.id,
            year,
            side,
            status,
            office?.id ?? null,
            submittedAt,
            office ? prefixOfCode(office.code) : null,
            reviewed === null ? null : reviewer,
            reviewed,
            status === 'returned' ? '消费帮扶金额与对方确认的不一致，请核对后重新报送。' : null,
          );
        }
      }
    }
  })();
}
