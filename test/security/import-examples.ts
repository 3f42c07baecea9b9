import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { columnsOf } from '../../server/exchange/exchange.columns.ts';
import { recordSheet } from '../../server/exchange/exchange.sheets.ts';
import { commitImport, startImport } from '../../server/exchange/imports.service.ts';
import { RECORD_KINDS } from '../../server/records/records.service.ts';
import { csvText } from '../support/imports.ts';
import { viaForm, type RouteWorld, type Submission } from './routes.support.ts';

type Example = (w: RouteWorld) => Promise<Submission>;
let seq = 0;

/** A transfer of the 江苏–陕西 county pair as a CSV of the funds template, with a fresh ledger number. */
function fundsCsv(w: RouteWorld): string {
  const columns = columnsOf(recordSheet(RECORD_KINDS.funds));
  const values: Record<string, string | number> = {
    pairing: w.js.county.id,
    year: 2024,
    date: '2024-04-01',
    kind: '社会帮扶',
    form: 'money',
    'committedFen:wan': 12,
    purpose: '助学',
    ref: `IMP-${process.pid}-${++seq}`,
  };
  return csvText([columns.map((c) => c.label), columns.map((c) => c.key), columns.map((c) => values[c.key] ?? '')]);
}

/** An import of office.jiangsu's, checked (and committed when asked) through the service. */
async function jiangsuImport(w: RouteWorld, commit: boolean): Promise<number> {
  const path = join(mkdtempSync(join(tmpdir(), 'ewc-example-')), 'funds.csv');
  writeFileSync(path, fundsCsv(w));
  const actor = { id: w.users.jiangsu.id, role: 'staff' as const, scope: '32' };
  const { entry, done } = startImport(w.db, actor, 'funds', { path, name: 'funds.csv', bytes: 1, head: Buffer.from('年度') });
  await done;
  if (commit) commitImport(w.db, actor, entry.id);
  return entry.id;
}

/** The import routes, each submitted through its page's own form. */
export const IMPORT_EXAMPLES: Record<string, Example> = {
  'POST /imports': async (w) => {
    const s = await viaForm(w, 'jiangsu', '/imports/new?kind=funds', '/imports');
    return { ...s, file: { field: 'file', name: '资金.csv', type: 'text/csv', content: Buffer.from(fundsCsv(w)) } };
  },
  'POST /imports/:importId/commit': async (w) => {
    const id = await jiangsuImport(w, false);
    // the record it creates, and the commit itself
    return { ...(await viaForm(w, 'jiangsu', `/imports/${id}`, `/imports/${id}/commit`)), auditRows: 2 };
  },
  'POST /imports/:importId/undo': async (w) => {
    const id = await jiangsuImport(w, true);
    // the record it removes, and the undo itself
    return { ...(await viaForm(w, 'jiangsu', `/imports/${id}/undo`, `/imports/${id}/undo`)), auditRows: 2 };
  },
};
