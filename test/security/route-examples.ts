import { createPairing, deletePairing } from '../../server/pairings/pairings.service.ts';
import { deleteRecord, recordKindKeys, type RecordKindKey } from '../../server/records/records.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { createToken } from '../../server/tokens/tokens.service.ts';
import { PASSWORD } from '../support/app.ts';
import { buildRecord } from '../support/factories.ts';
import { ASSESSMENT_EXAMPLES } from './assessment-examples.ts';
import { IMPORT_EXAMPLES } from './import-examples.ts';
import { REPORT_EXAMPLES } from './report-examples.ts';
import { NOTIFICATION_EXAMPLES } from './notification-examples.ts';
import { RECORD_FILE_EXAMPLES } from './record-file-examples.ts';
import { viaForm, YEAR, type RouteWorld, type Submission } from './routes.support.ts';

/**
 * For every unsafe route, how a user sends it: the page that offers the form and what the user
 * types into it. The examples submit the page's own form, so each also proves that the page offers
 * what the server accepts. A route of the table with no example here fails the suite.
 */
export type Example = (w: RouteWorld) => Promise<Submission>;

/** Routes that change no domain data and so write no audit row, with the reason. */
export const NOT_AUDITED: Record<string, string> = {
  'POST /login': 'signs a user in: a session, not data',
  'POST /logout': 'signs a user out: a session, not data',
};

const NEW_PASSWORD = 'Lantern-quarry-2024';

/** What a user types into a new record form of each kind (amounts in 万元, the forms' default unit). */
const NEW_RECORD: Record<RecordKindKey, Record<string, string>> = {
  funds: {
    kind: 'social',
    form: 'money',
    committedFen: '50',
    disbursedFen: '50',
    disbursedOn: '2024-06-01',
    purpose: '教育帮扶',
  },
  talents: { kind: 'cadre', direction: 'to_west', people: '3', startOn: '2024-06-01' },
  projects: { kind: 'project', name: '冷链仓储', locationCode: '610102', status: 'building' },
  labour: { periodStart: '2024-02-01', periodEnd: '2024-05-31', destination: 'local', people: '40' },
  consumption: { amountFen: '80', products: '核桃' },
};

let seq = 0;
/** A fresh empty pairing (a county pair under 江苏–陕西), for delete and restore. */
function emptyPairing(w: RouteWorld) {
  const counties = ['320581', '320582', '320583', '320585'];
  const assisted = ['610113', '610114', '610115', '610116'];
  const i = seq++ % counties.length;
  return createPairing(w.db, SYSTEM, {
    level: 'county',
    assistingCode: counties[i]!,
    assistedCode: assisted[i]!,
    startYear: 2021 + seq,
    endYear: 2021 + seq,
    status: 'ended',
    outsideZones: false,
  });
}

export const EXAMPLES: Record<string, Example> = {
  ...ASSESSMENT_EXAMPLES,
  ...IMPORT_EXAMPLES,
  ...REPORT_EXAMPLES,
  ...NOTIFICATION_EXAMPLES,
  'POST /regions/:code/zone': (w) => viaForm(w, 'admin', '/regions/460000', '/regions/460000/zone', { zone: 'east' }),
  'POST /admin/users': (w) =>
    viaForm(w, 'admin', '/admin/users/new', '/admin/users', {
      username: `new.user${++seq}`,
      displayName: '新同事',
      role: 'liaison',
      regionCode: '610000',
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    }),
  'POST /admin/users/:id': (w) =>
    viaForm(w, 'admin', `/admin/users/${w.users.liaison.id}/edit`, `/admin/users/${w.users.liaison.id}`, {
      displayName: `联络员${++seq}`,
    }),
  'POST /admin/users/:id/disable': (w) =>
    viaForm(w, 'admin', `/admin/users/${w.users.victim.id}/disable`, `/admin/users/${w.users.victim.id}/disable`),
  'POST /admin/users/:id/enable': async (w) => {
    w.db.$client.prepare('UPDATE users SET active = 0 WHERE id = ?').run(w.users.evaluatorJs.id);
    return viaForm(w, 'admin', '/admin/users', `/admin/users/${w.users.evaluatorJs.id}/enable`);
  },
  'POST /admin/users/:id/password': (w) =>
    viaForm(w, 'admin', `/admin/users/${w.users.victim.id}/password`, `/admin/users/${w.users.victim.id}/password`, {
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    }),
  // The copy goes to the test run's own BACKUP_DIR (test/support/app.ts), never the repository.
  'POST /admin/backups': (w) => viaForm(w, 'admin', '/admin/backups', '/admin/backups'),
  'POST /account/password': async (w) => {
    // A user of its own: changing the password ends the user's other sessions.
    const s = await viaForm(w, 'self', '/account/password', '/account/password', {
      currentPassword: PASSWORD,
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    return s;
  },
  // The new token is shown on the page that answers the form (200), once: no redirect.
  'POST /account/tokens': async (w) => ({
    ...(await viaForm(w, 'jiangsu', '/account', '/account/tokens', { name: `统计脚本${++seq}`, days: '30' })),
    okStatus: 200,
  }),
  'POST /account/tokens/:tokenId/revoke': (w) => {
    const actor = { id: w.users.jiangsu.id, role: 'staff' as const, scope: '32' };
    const { id } = createToken(w.db, actor, { name: `旧脚本${++seq}`, days: 90 }, new Date());
    return viaForm(w, 'jiangsu', `/account/tokens/${id}/revoke`, `/account/tokens/${id}/revoke`);
  },
  'POST /pairings': (w) =>
    viaForm(w, 'admin', '/pairings/new', '/pairings', {
      level: 'county',
      assistingCode: '320509',
      assistedCode: '610103',
      startYear: '2021',
    }),
  'POST /pairings/:id': (w) =>
    viaForm(w, 'jiangsu', `/pairings/${w.js.county.id}/edit`, `/pairings/${w.js.county.id}`, { notes: `会商${++seq}` }),
  'POST /pairings/:id/end': (w) =>
    viaForm(w, 'jiangsu', `/pairings/${w.js.county.id}/end`, `/pairings/${w.js.county.id}/end`, { endYear: '2025' }),
  'POST /pairings/:id/delete': (w) => {
    const p = emptyPairing(w);
    return viaForm(w, 'admin', `/pairings/${p.id}/delete`, `/pairings/${p.id}/delete`);
  },
  'POST /pairings/:id/restore': (w) => {
    const p = emptyPairing(w);
    deletePairing(w.db, SYSTEM, p.id);
    return viaForm(w, 'admin', '/admin/deleted', `/pairings/${p.id}/restore`);
  },
  'POST /pairings/:id/agreements/:year': (w) => {
    const url = `/pairings/${w.js.county.id}/agreements/${YEAR}`;
    return viaForm(w, 'jiangsu', url, url, { jobs: String(100 + ++seq) });
  },
  'POST /pairings/:id/agreements/:year/comments': (w) => {
    const url = `/pairings/${w.js.county.id}/agreements/${YEAR}`;
    return viaForm(w, 'shaanxi', url, `${url}/comments`, { body: '建议增加劳务协作目标' });
  },
  'POST /assessment/:year/evidence': async (w) => {
    const page = `/assessment/${YEAR}/scorecards/r.assisting.320000`;
    const s = await viaForm(w, 'jiangsu', page, `/assessment/${YEAR}/evidence`);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    return { ...s, file: { field: 'file', name: '自评材料.pdf', type: 'application/pdf', content: pdf } };
  },
  'POST /records/funds/:rid/confirm': (w) => {
    const url = `/records/funds/${w.records.js.funds}/confirm`;
    return viaForm(w, 'shaanxi', url, url);
  },
};

/** Routes with a :kind are tried for every record kind. */
export const KIND_EXAMPLES: Record<string, (kind: RecordKindKey) => Example> = {
  'POST /pairings/:id/records/:kind': (kind) => (w) =>
    viaForm(
      w,
      kind === 'projects' ? 'shaanxi' : 'jiangsu',
      `/pairings/${w.js.county.id}/records/${kind}/new`,
      `/pairings/${w.js.county.id}/records/${kind}`,
      NEW_RECORD[kind],
    ),
  'POST /records/:kind/:rid': (kind) => (w) => {
    const id = w.records.js[kind];
    return viaForm(w, 'jiangsu', `/records/${kind}/${id}/edit`, `/records/${kind}/${id}`, { notes: `补充说明${++seq}` });
  },
  'POST /records/:kind/:rid/delete': (kind) => (w) => {
    const id = buildRecord(w.db, kind, w.js.county.id).id;
    return viaForm(w, 'jiangsu', `/records/${kind}/${id}/delete`, `/records/${kind}/${id}/delete`);
  },
  'POST /records/:kind/:rid/restore': (kind) => (w) => {
    const id = buildRecord(w.db, kind, w.js.county.id).id;
    deleteRecord(w.db, SYSTEM, kind, id, 1);
    return viaForm(w, 'admin', '/admin/deleted', `/records/${kind}/${id}/restore`);
  },
  'POST /records/:kind/:rid/comments': (kind) => (w) => {
    const id = w.records.js[kind];
    return viaForm(w, 'shaanxi', `/records/${kind}/${id}`, `/records/${kind}/${id}/comments`, { body: '已核对，无异议' });
  },
  ...RECORD_FILE_EXAMPLES,
};

export { recordKindKeys };
