/**
 * Login limits that slow a guesser down without locking an office, or an account's owner, out.
 *
 * - Per account (from any address): the first FREE_FAILURES wrong passwords in a row cost nothing;
 *   after that each further try must wait a delay that doubles with every failure, from BASE_DELAY
 *   up to MAX_DELAY. A successful login clears the count; a day without failures forgets it. A try
 *   made while waiting is refused without checking the password, so it neither counts nor helps.
 *   Each try counts as a failure from the moment it starts (and is taken back if it succeeds), so
 *   tries sent in parallel are counted before their passwords are checked.
 * - A known device (one that has logged in to this account before: known-device.ts) has its own
 *   count for that account, so a stranger's failures cannot keep the owner out (OWASP's "device
 *   cookie"), and it is not held by the per-address ceiling.
 * - Per address: a generous ceiling of failed passwords per window, so that a whole office behind
 *   one NAT address keeps working while one machine guessing many usernames is stopped.
 *
 * Kept in memory: the app is one process, and a restart merely forgives. Both maps are bounded;
 * past the bound, forgotten entries go first, then those that hold nobody back, and only then the
 * oldest, so a flood of new names or addresses cannot wash a live back-off away.
 */
export interface LoginLimitOptions {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Quiet time after an account's wait is over before its count is forgotten. */
  forgetAfterMs: number;
  ipFailures: number;
  ipWindowMs: number;
  /** Most entries kept per map. */
  maxEntries: number;
  now: () => number;
}

const LOGIN_LIMITS: Omit<LoginLimitOptions, 'now'> = {
  freeFailures: 5,
  baseDelayMs: 15_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  ipFailures: 300,
  ipWindowMs: 15 * 60_000,
  maxEntries: 100_000,
};

type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number; reason: 'account' | 'address' };

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

  /**
   * May this address try this account now? `device` names a known device of the account (its own
   * count, no address ceiling). If so, the try counts as an account failure until it succeeds.
   */
  begin(address: string, account: string, device?: string): LimitDecision {
    const decision = this.check(address, account, device);
    if (decision.ok) {
      const key = bucket(account, device);
      const acc = this.liveAccount(key);
      this.accounts.delete(key); // re-inserted as the newest
      this.accounts.set(key, { failures: (acc?.failures ?? 0) + 1, lastFailureAt: this.o.now() });
      this.prune(
        this.accounts,
        (s) => this.accountForgotten(s),
        (s) => this.accountIdle(s),
      );
    }
    return decision;
  }

  check(address: string, account: string, device?: string): LimitDecision {
    const now = this.o.now();
    const ip = this.addresses.get(address);
    if (!device && ip && !this.addressForgotten(ip) && ip.failures >= this.o.ipFailures) {
      return { ok: false, reason: 'address', retryAfterSeconds: seconds(ip.windowStart + this.o.ipWindowMs - now) };
    }
    const acc = this.liveAccount(bucket(account, device));
    if (acc) {
      const until = acc.lastFailureAt + this.delayAfter(acc.failures);
      if (until > now) return { ok: false, reason: 'account', retryAfterSeconds: seconds(until - now) };
    }
    return { ok: true };
  }

  /** A wrong password: the account's try stays counted, and the address counts one failure. */
  failed(address: string, device?: string): void {
    if (device) return;
    const ip = this.addresses.get(address);
    const fresh = !ip || this.addressForgotten(ip);
    this.addresses.delete(address);
    this.addresses.set(address, fresh ? { failures: 1, windowStart: this.o.now() } : { ...ip, failures: ip.failures + 1 });
    this.prune(
      this.addresses,
      (s) => this.addressForgotten(s),
      (s) => s.failures < this.o.ipFailures,
    );
  }

  /** Takes back the try that `begin` counted by clearing the count (of this device, if known). */
  succeeded(account: string, device?: string): void {
    this.accounts.delete(bucket(account, device));
  }

  private liveAccount(key: string): AccountState | undefined {
    const acc = this.accounts.get(key);
    return acc && !this.accountForgotten(acc) ? acc : undefined;
  }

  private accountForgotten(s: AccountState): boolean {
    return this.o.now() - s.lastFailureAt >= this.delayAfter(s.failures) + this.o.forgetAfterMs;
  }

  /** Not making anyone wait now, and not about to on the next failure. */
  private accountIdle(s: AccountState): boolean {
    return s.failures < this.o.freeFailures - 1;
  }

  private addressForgotten(s: AddressState): boolean {
    return this.o.now() - s.windowStart >= this.o.ipWindowMs;
  }

  /**
   * Past the bound: drops forgotten entries; if that is not enough, idle ones, then the oldest,
   * down to nine tenths of the bound (so that a flood does not make every insert sweep the map).
   */
  private prune<V>(map: Map<string, V>, forgotten: (v: V) => boolean, idle: (v: V) => boolean): void {
    if (map.size <= this.o.maxEntries) return;
    for (const [key, value] of map) if (forgotten(value)) map.delete(key);
    if (map.size <= this.o.maxEntries) return;
    const target = Math.floor(this.o.maxEntries * 0.9);
    for (const pass of [idle, () => true]) {
      for (const [key, value] of map) {
        if (map.size <= target) return;
        if (pass(value)) map.delete(key);
      }
    }
  }
}

const bucket = (account: string, device?: string) => (device ? `${account}\u0000${device}` : account);
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
