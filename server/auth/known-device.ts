import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse } from 'cookie';

/**
 * A device that has logged in to an account before (OWASP's "device cookie"): at a successful
 * login the browser gets an HttpOnly cookie holding, per account, a random device id and its HMAC
 * with the session secret over the account's (unique, never renamed) username. Nobody can forge
 * one, and the login limits let such a device past a stranger's lockout of the same account.
 * The cookie names no account in clear, is sent to /login only, and keeps the last few accounts.
 */
export const DEVICE_COOKIE = 'ewc.device';
const MAX_ACCOUNTS = 5;
const ID_BYTES = 8; // 11 characters in base64url
const MAC_BYTES = 16; // 22 characters
const ENTRY = /^[A-Za-z0-9_-]{33}$/;
const ID_LENGTH = 11;
export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60_000;

function mac(secret: string, account: string, id: string): Buffer {
  return createHmac('sha256', secret).update(`known-device\u0000${account}\u0000${id}`).digest().subarray(0, MAC_BYTES);
}

/** The well-formed entries of the cookie, newest first. */
export function deviceEntries(cookieHeader: string | undefined): string[] {
  const value = cookieHeader ? parse(cookieHeader)[DEVICE_COOKIE] : undefined;
  return (value ?? '')
    .split('.')
    .filter((e) => ENTRY.test(e))
    .slice(0, MAX_ACCOUNTS);
}

/** This device's id for the account, if it has logged in to it before; undefined otherwise. */
export function knownDevice(secret: string, entries: readonly string[], account: string): string | undefined {
  for (const entry of entries) {
    const id = entry.slice(0, ID_LENGTH);
    const given = Buffer.from(entry.slice(ID_LENGTH), 'base64url');
    if (given.length === MAC_BYTES && timingSafeEqual(given, mac(secret, account, id))) return id;
  }
  return undefined;
}

/** The cookie's new value after a successful login to `account`: that account first, keeping its id. */
export function rememberDevice(secret: string, entries: readonly string[], account: string): string {
  const id = knownDevice(secret, entries, account) ?? randomBytes(ID_BYTES).toString('base64url');
  const entry = id + mac(secret, account, id).toString('base64url');
  return [entry, ...entries.filter((e) => e !== entry)].slice(0, MAX_ACCOUNTS).join('.');
}
