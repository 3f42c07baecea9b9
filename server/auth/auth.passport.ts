import { Passport } from 'passport';

export type AppPassport = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../../db/client.ts';
import { loadSessionUser, verifyLogin, type SessionUser } from './auth.service.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

/** A private Passport per app (no global singleton), so tests can run several apps side by side. */
export function createPassport(db: Db): AppPassport {
  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => {
      verifyLogin(db, username, password).then(
        (user) => done(null, user ?? false),
        (err: unknown) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: unknown, done) => {
    try {
      done(null, typeof id === 'number' ? (loadSessionUser(db, id) ?? false) : false);
    } catch (err) {
      done(err);
    }
  });
  return passport;
}
