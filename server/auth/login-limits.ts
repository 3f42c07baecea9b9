/**
 * Login limits that slow a guesser down without locking an office out.
 *
 * - Per account (from any address): the first FREE_FAILURES wrong passwords in a row cost nothing;
 *   after that each further try must wait a delay that doubles with every failure, from BASE_DELAY
 *   up to MAX_DELAY. A successful login clears the count. A try made while waiting is refused
 *   without checking the password, so it neither counts nor helps. Each try counts as a failure
 *   from the moment it starts (and is taken back if it succeeds), so tries sent in parallel are
 *   counted before their passwords are checked.
 * - Per address: a generous ceiling of failures per window, so that a whole office behind one NAT
 *   address keeps working while one machine guessing many usernames is stopped.
 *
 * Kept in memory: the app is one process, and a restart merely forgives. Both maps are bounded.
 */
export interface LoginLimitOptions {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  ipFailures: number;
  ipWindowMs: number;
  /** Most entries kept per map; the oldest are forgotten first. */
  maxEntries: number;
  now: () => number;
}

export const LOGIN_LIMITS: Omit<LoginLimitOptions, 'now'> = {
  freeFailures: 5,
  baseDelayMs: 15_000,
  maxDelayMs: 15 * 60_000,
  ipFailures: 300,
  ipWindowMs: 15 * 60_000,
  maxEntries: 100_000,
};

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number; reason: 'account' | 'address' };

interface AccountState {
  failures: number;
  lastFailureAt: number;
}
interface AddressState {
  failures: number;
  windowStart: number;
}

export class LoginLimiter {
  private readonly accounts = new Map<string, AccountState>();
  private readonly addresses = new Map<string, AddressState>();
  private readonly o: LoginLimitOptions;

  constructor(options: Partial<LoginLimitOptions> = {}) {
    this.o = { ...LOGIN_LIMITS, now: Date.now, ...options };
  }

  /** The wait after `failures` failures in a row: nothing at first, then doubling up to the cap. */
  delayAfter(failures: number): number {
    if (failures < this.o.freeFailures) return 0;
    const doublings = Math.min(failures - this.o.freeFailures, 30);
    return Math.min(this.o.baseDelayMs * 2 ** doublings, this.o.maxDelayMs);
  }

  /** May this address try this account now? If so, the try counts as a failure until it succeeds. */
  begin(address: string, account: string): LimitDecision {
    const decision = this.check(address, account);
    if (decision.ok) this.failed(address, account);
    return decision;
  }

  check(address: string, account: string): LimitDecision {
    const now = this.o.now();
    const ip = this.addresses.get(address);
    if (ip && now - ip.windowStart < this.o.ipWindowMs && ip.failures >= this.o.ipFailures) {
      return { ok: false, reason: 'address', retryAfterSeconds: seconds(ip.windowStart + this.o.ipWindowMs - now) };
    }
    const acc = this.accounts.get(account);
    if (acc) {
      const until = acc.lastFailureAt + this.delayAfter(acc.failures);
      if (until > now) return { ok: false, reason: 'account', retryAfterSeconds: seconds(until - now) };
    }
    return { ok: true };
  }

  private failed(address: string, account: string): void {
    const now = this.o.now();
    const acc = this.accounts.get(account);
    remember(this.accounts, account, { failures: (acc?.failures ?? 0) + 1, lastFailureAt: now }, this.o.maxEntries);
    const ip = this.addresses.get(address);
    const fresh = !ip || now - ip.windowStart >= this.o.ipWindowMs;
    remember(
      this.addresses,
      address,
      fresh ? { failures: 1, windowStart: now } : { failures: ip.failures + 1, windowStart: ip.windowStart },
      this.o.maxEntries,
    );
  }

  /** Takes back the try that `begin` counted, and clears the account's count. */
  succeeded(address: string, account: string): void {
    this.accounts.delete(account);
    const ip = this.addresses.get(address);
    if (ip && ip.failures > 0) ip.failures -= 1;
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Sets a key as the newest entry; past the bound, forgets the oldest (Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
