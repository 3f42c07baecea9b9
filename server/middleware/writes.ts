import type { RequestHandler } from 'express';
import { whenWritable } from '../lib/write-gate.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that may write (any unsafe method) waits, without holding anyone, while an import's
 * commit or undo holds the database's one write lock on its own thread (lib/write-gate.ts).
 */
export const waitForWrites: RequestHandler = (req, _res, next) => {
  if (SAFE.has(req.method)) return next();
  whenWritable().then(() => next(), next);
};

/** The same wait for a read that writes too (an export is audited). */
export const waitForWritesToo: RequestHandler = (_req, _res, next) => {
  whenWritable().then(() => next(), next);
};
