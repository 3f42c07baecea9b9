import { resolve } from 'node:path';
import express, { Router } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { Db } from '../db/client.ts';
import type { Config } from './config.ts';
import type { Logger } from './lib/logger.ts';
import { chromiumLauncher, createPdfPool, type PdfPool } from './lib/pdf.ts';
import type { RouteDef } from './lib/routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { createPassport } from './auth/auth.passport.ts';
import { sessionSecret } from './auth/auth.service.ts';
import { SqliteSessionStore } from './auth/session-store.ts';
import { passwordChangeGate } from './auth/password-gate.ts';
import { homeRoutes } from './home/home.routes.ts';
import { regionRoutes } from './regions/regions.routes.ts';
import { userRoutes } from './users/users.routes.ts';
import { pairingRoutes } from './pairings/pairings.routes.ts';
import { agreementRoutes } from './agreements/agreements.routes.ts';
import { warningRoutes } from './records/warnings.routes.ts';
import { recordRoutes } from './records/records.routes.ts';
import { assessmentRoutes } from './assessment/assessment.routes.ts';
import { backupRoutes } from './backups/backups.routes.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { chartRoutes } from './charts/charts.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { historyRoutes } from './history/history.routes.ts';
import { unreadCount } from './notifications/notifications.service.ts';
import { exportRoutes } from './exchange/exports.routes.ts';
import { importRoutes } from './exchange/imports.routes.ts';
import { canImport } from './exchange/imports.service.ts';
import { IMPORT_UPLOAD_PATH, importCsrfToken, importUpload } from './exchange/imports.upload.ts';
import { EVIDENCE_UPLOAD_PATH, evidenceUpload, uploadCsrfToken } from './assessment/assessment.upload.ts';
import { recordFileRoutes } from './records/records.files.routes.ts';
import { RECORD_FILE_UPLOAD_PATH, recordFileCsrfToken, recordFileUpload } from './records/records.files.upload.ts';
import { apiRoutes } from './api/api.routes.ts';
import { API_BASE } from './api/api.endpoints.ts';
import { apiAuthentication } from './api/api.auth.ts';
import { apiErrorHandler, apiNotFound } from './api/api.errors.ts';
import { tokenRoutes } from './tokens/tokens.routes.ts';
import { accessLog } from './middleware/access-log.ts';
import { errorHandler, notFound } from './middleware/error-handler.ts';
import { guard } from './middleware/guards.ts';
import { locals } from './middleware/locals.ts';
import { once } from './middleware/once.ts';
import { formBodiesOnly } from './middleware/bodies.ts';
import { waitForWrites } from './middleware/writes.ts';
import { viewEngine, viewsDir } from './views.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Today, injectable so tests can fix the year. */
  clock?: () => Date;
  /** The PDF printer; by default a pool over config.chromiumPath (its browser starts at the first print). */
  pdf?: PdfPool;
}

/** One shared browser for the app's PDFs; main.ts closes it at shutdown (app.pdf.close()). */
function pdfPoolFor(config: Config): PdfPool {
  const launch = chromiumLauncher({ executablePath: config.chromiumPath, stylesheetPath: resolve(viewsDir, 'assets/app.css') });
  return createPdfPool({ launch });
}

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** The whole route table, one list per domain; the router and the security tests both walk it. */
export function routeTable(deps: AppDeps, passport: ReturnType<typeof createPassport>): RouteDef[] {
  const { db, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  return [
    ...homeRoutes(db, config, clock),
    ...authRoutes(passport, {
      secret: () => sessionSecret(db, config.sessionSecret),
      secureCookies: config.env === 'production',
    }),
    ...regionRoutes(db),
    ...userRoutes(db, clock),
    ...pairingRoutes(db, clock),
    ...agreementRoutes(db),
    ...exportRoutes(db),
    ...importRoutes(db, deps.logger),
    ...recordRoutes(db, clock),
    ...warningRoutes(),
    ...recordFileRoutes(db),
    ...assessmentRoutes(db, deps.pdf ?? pdfPoolFor(config)),
    ...tokenRoutes(db, clock),
    ...apiRoutes(db),
    ...backupRoutes(db, config, deps.logger, clock),
    ...reportRoutes(db),
    ...chartRoutes(db, clock),
    ...notificationRoutes(db, clock),
    ...historyRoutes(db),
  ];
}

/** Builds the app; never listens (server/main.ts does). Tests drive it with supertest. */
export function createApp(deps: AppDeps): express.Express & { sessionStore: SqliteSessionStore; pdf: PdfPool } {
  const { db, config, logger } = deps;
  const pdf = deps.pdf ?? pdfPoolFor(config);
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  app.engine('hbs', viewEngine());
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  // Express turns its view cache on from process.env.NODE_ENV only; the app's own config decides here.
  app.set('view cache', config.env === 'production');

  app.use(accessLog(logger));
  // Offices often serve the app over plain HTTP on an intranet: only force HTTPS in production.
  const production = config.env === 'production';
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': production ? [] : null,
        },
      },
      strictTransportSecurity: production,
    }),
  );
  app.use('/assets', express.static(resolve(viewsDir, 'assets'), { maxAge: config.env === 'production' ? '1d' : 0 }));
  // Everything below the assets is a page or a file of someone's data: never stored by a browser or
  // a proxy (after a logout, Back must not show it). With nothing stored there is nothing to
  // revalidate, so no ETag either: Express hashed every page's body to make one.
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // a save waits here while an import's commit holds the write lock (the pages go on meanwhile)
  app.use(waitForWrites);
  app.use(express.urlencoded({ extended: false, limit: '200kb' }));

  const sessionStore = new SqliteSessionStore(db, SESSION_TTL_MS);
  app.use(
    session({
      name: 'ewc.sid',
      store: sessionStore,
      secret: sessionSecret(db, config.sessionSecret),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', maxAge: SESSION_TTL_MS },
    }),
  );
  const passport = createPassport(db);
  app.use(passport.session());
  // the read API's callers: a bearer token (rate limited per token) or the session, before the
  // password gate (which would send an API call to a page)
  app.use(API_BASE, ...apiAuthentication(db, { clock: deps.clock ?? (() => new Date()), limit: config.apiRateLimit }));
  app.use(passwordChangeGate);

  const csrf = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      const header = req.headers['x-csrf-token'];
      return (
        fromBody ??
        (typeof header === 'string' ? header : undefined) ??
        uploadCsrfToken(req) ??
        importCsrfToken(req) ??
        recordFileCsrfToken(req)
      );
    },
  });
  app.use(
    locals(
      (req) => csrf.generateToken(req),
      (userId) => unreadCount(db, userId),
    ),
  );
  // the nav and the record lists offer imports to those the import service lets import
  app.use((req, res, next) => {
    res.locals.canImport = req.user ? canImport(req.user) : false;
    next();
  });
  // The multipart routes (evidence, imports, a record's files): sign-in, role, CSRF (token in the query
  // string) and the right to upload there are checked before the body is read, then the file streams
  // to disk (no other route accepts multipart).
  app.post(EVIDENCE_UPLOAD_PATH, ...evidenceUpload(db, csrf.csrfSynchronisedProtection));
  app.post(IMPORT_UPLOAD_PATH, ...importUpload(csrf.csrfSynchronisedProtection));
  app.post(RECORD_FILE_UPLOAD_PATH, ...recordFileUpload(db, csrf.csrfSynchronisedProtection));
  app.use(formBodiesOnly);
  app.use(csrf.csrfSynchronisedProtection);
  app.use(once(db));

  const router = Router();
  for (const route of routeTable({ ...deps, pdf }, passport)) {
    router[route.method](route.path, guard(route.access, route.api), ...(route.before ?? []), route.handler);
  }
  app.use(router);

  // under the API's base every refusal and failure is JSON
  app.use(API_BASE, apiNotFound, apiErrorHandler(logger));
  app.use(notFound);
  app.use(errorHandler(logger));
  return Object.assign(app, { sessionStore, pdf });
}
