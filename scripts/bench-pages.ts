/**
 * The pages `npm run bench` visits, how it signs in, and the two ways it times a page: one request
 * at a time (median of sequential requests) and under load (autocannon).
 *
 * Production cookies are Secure and the app speaks plain HTTP, so a deployment sits behind a proxy
 * that terminates TLS (TRUST_PROXY=1). The bench plays that proxy: every request says
 * `X-Forwarded-Proto: https`, without which express-session would never send the session cookie.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { recordKindKeys } from '../server/records/records.kinds.ts';
import { BENCH_ACCOUNTS, BENCH_PASSWORD, type BenchDataset, type BenchRole } from './bench-setup.ts';

export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' } as const;

export interface Page {
  /** Short name, used by `--pages`. */
  key: string;
  label: string;
  role: BenchRole | null;
  path: string;
  /** A page the ≤ 5 ms single-request target applies to. */
  pairingPage?: boolean;
}

export interface Reply {
  status: number;
  body: string;
  cookies: string[];
  location?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET or form POST over a kept-alive connection. */
export function send(base: string, path: string, opts: { cookie?: string; form?: Record<string, string> } = {}): Promise<Reply> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((ok, fail) => {
    const req = request(
      `${base}${path}`,
      {
        method: body ? 'POST' : 'GET',
        agent,
        headers: {
          ...PROXY_HEADERS,
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!),
            location: res.headers.location,
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Signs in through the real form (its CSRF token and pre-login session) and returns the session cookie. */
export async function login(base: string, role: BenchRole): Promise<string> {
  const form = await send(base, '/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (form.status !== 200 || !csrf || form.cookies.length === 0)
    throw new Error(`bench: the login form answered ${form.status} without a token or a cookie`);
  const done = await send(base, '/login', {
    cookie: form.cookies.join('; '),
    form: { username: BENCH_ACCOUNTS[role].username, password: BENCH_PASSWORD, _csrf: csrf },
  });
  const sid = done.cookies.find((c) => c.startsWith('ewc.sid='));
  if (done.status !== 302 || done.location !== '/' || !sid)
    throw new Error(`bench: signing in as ${role} answered ${done.status} → ${done.location ?? '-'}`);
  return sid;
}

/** Every page of the issue's list; the league table and the scorecard are for `year`. */
export function pageList(data: BenchDataset, year: number): Page[] {
  const { province, county, pairup } = data.pairings;
  const pages: Page[] = [
    { key: 'login', label: 'login page', role: null, path: '/login' },
    ...(Object.keys(BENCH_ACCOUNTS) as BenchRole[]).map((role) => ({ key: `home-${role}`, label: 'home page', role, path: '/' })),
    // a bare list redirects to the user's saved filters (middleware/list-filters.ts), and the
    // filtered lists below save some: the unfiltered lists are asked with their default order
    { key: 'pairings', label: 'pairing list', role: 'staff', path: '/pairings?sort=level' },
    { key: 'province', label: 'pairing page, province pair', role: 'staff', path: `/pairings/${province}`, pairingPage: true },
    { key: 'county', label: 'pairing page, county pair', role: 'staff', path: `/pairings/${county}`, pairingPage: true },
    { key: 'pairup', label: 'pair-up page', role: 'staff', path: `/pairings/${pairup}`, pairingPage: true },
  ];
  for (const kind of recordKindKeys) {
    pages.push({ key: kind, label: `${kind} list`, role: 'staff', path: `/records/${kind}?sort=date` });
    pages.push({
      key: `${kind}-filtered`,
      label: `${kind} list, ${year - 1} + 苏州`,
      role: 'staff',
      path: `/records/${kind}?year=${year - 1}&region=320500`,
    });
  }
  pages.push(
    { key: 'league', label: `league table ${year}`, role: 'evaluator', path: `/assessment/${year}` },
    // the scorecard's path is read from the league table once signed in (see resolveScorecard)
    { key: 'scorecard', label: 'scorecard page', role: 'evaluator', path: '' },
    { key: 'regions', label: 'region list', role: 'staff', path: '/regions' },
    {
      key: 'history',
      label: `history of the busiest record (${data.busiest.auditRows} rows)`,
      role: 'admin',
      path: `/records/${data.busiest.kind}/${data.busiest.id}`,
    },
  );
  return pages;
}

/** The first scorecard the league table links to. */
export async function resolveScorecard(base: string, cookie: string, year: number): Promise<string> {
  const league = await send(base, `/assessment/${year}`, { cookie });
  const href = new RegExp(`href="(/assessment/${year}/scorecards/[^"/?]+)"`).exec(league.body)?.[1];
  if (league.status !== 200 || !href) throw new Error(`bench: no scorecard link on the ${year} league table (${league.status})`);
  return href.replaceAll('&amp;', '&');
}

/** Median of `runs` sequential requests after three warm-ups; throws on any status but 200. */
export async function singleRequest(base: string, path: string, cookie: string | undefined, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t = performance.now();
    const reply = await send(base, path, { cookie });
    const ms = performance.now() - t;
    if (reply.status !== 200)
      throw new Error(`bench: ${path} answered ${reply.status}${reply.location ? ` → ${reply.location}` : ''}`);
    if (i >= 3) times.push(ms);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and non-2xx answers (timeouts counted apart). */
  errors: number;
  timeouts: number;
  requests: number;
}

/** `connections` clients for `seconds` on one URL; a slow answer counts as a timeout after 30 s. */
export async function load(url: string, cookie: string | undefined, seconds: number, connections: number): Promise<Load> {
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    headers: { ...PROXY_HEADERS, ...(cookie ? { cookie } : {}) },
  });
  return {
    rps: r.requests.total / (r.duration || seconds),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors - r.timeouts + r.non2xx,
    timeouts: r.timeouts,
    requests: r.requests.total,
  };
}
