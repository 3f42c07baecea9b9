import type { Request, RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import type { Db } from '../../db/client.ts';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../lib/errors.ts';
import { authenticateToken } from '../tokens/tokens.service.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The access token a read API request came with (its id), once checked. */
    accessTokenId?: number;
  }
}

const WINDOW_MS = 60 * 1000;

/**
 * Who calls the read API: the bearer token of `Authorization: Bearer ewc_…` when one is sent (it
 * wins over a session cookie; a bad one is refused, never ignored), else the session. The token's
 * user is the actor, loaded as a session's is, so every service applies the same scope. Mounted on
 * the API's base only: a token opens no page.
 *
 * Token requests are rate limited per token and per user, with the same limit (a session's are
 * not: a person clicks): a user cannot multiply the limit by making more tokens. Each token and
 * each user has its own count in this process's memory; a restart forgives, as the login limits do.
 */
export function apiAuthentication(db: Db, options: { clock: () => Date; limit: number }): RequestHandler[] {
  const authenticate: RequestHandler = (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      // a session whose password an admin reset reads nothing until it is changed (the pages redirect)
      if (req.user?.mustChangePassword) return next(new ForbiddenError('api.error.passwordChange'));
      return next();
    }
    const bearer = /^Bearer +(\S+)$/i.exec(header)?.[1];
    if (!bearer) return next(new UnauthorizedError('api.error.tokenInvalid'));
    const use = { method: req.method, path: req.originalUrl.split('?')[0]!, address: req.ip };
    const { user, tokenId } = authenticateToken(db, bearer, options.clock(), use);
    req.user = user;
    req.accessTokenId = tokenId;
    next();
  };
  const limiterBy = (name: 'token' | 'user', key: (req: Request) => string) =>
    rateLimit({
      windowMs: WINDOW_MS,
      limit: options.limit,
      standardHeaders: 'draft-8',
      identifier: name,
      legacyHeaders: false,
      skip: (req) => req.accessTokenId === undefined,
      keyGenerator: (req) => `${name} ${key(req)}`,
      handler: (req, _res, next) => {
        const reset = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + WINDOW_MS;
        next(new TooManyRequestsError('api.error.rateLimited', Math.max(1, Math.ceil((reset - Date.now()) / 1000))));
      },
    });
  const perToken = limiterBy('token', (req) => String(req.accessTokenId));
  const perUser = limiterBy('user', (req) => String(req.user!.id));
  return [authenticate, perToken, perUser];
}
