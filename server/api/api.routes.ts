import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { RouteDef } from '../lib/routes.ts';
import { docsPage } from './api.docs.ts';
import { ENDPOINTS, OPENAPI_ENDPOINT, type Endpoint } from './api.endpoints.ts';
import { openApiDocument } from './api.openapi.ts';
import { parseQuery } from './api.query.ts';

/** Where the API's docs page is (a page of the app, in the reader's language). */
export const API_DOCS_PATH = '/api/docs';

/**
 * The read API's routes, GET only, one per endpoint of the list (api.endpoints.ts): parse the path
 * (a bad one is not found, as on the pages) and the query (a bad one is 422), run, answer JSON.
 * Credentials, the rate limit and JSON errors are mounted on the API's base (api.auth.ts, api.errors.ts).
 */
export function apiRoutes(db: Db): RouteDef[] {
  const serve =
    (e: Endpoint): RequestHandler =>
    (req, res) => {
      const params = e.params.safeParse(req.params);
      if (!params.success) throw new NotFoundError();
      const query = parseQuery(e.query, req.query);
      res.json(e.run!({ db, actor: req.user!, params: params.data as Record<string, unknown>, query }));
    };

  /** @route GET /api/v1/openapi.json — the OpenAPI 3.1 document, public (it holds no data) */
  function document(req: Request, res: Response) {
    parseQuery(OPENAPI_ENDPOINT.query, req.query);
    res.json(openApiDocument());
  }

  /** @route GET /api/docs — the endpoints, their parameters and example requests */
  function docs(req: Request, res: Response) {
    res.render('api/docs', {
      title: res.locals.t('api.title'),
      ...docsPage(res.locals.t, `${req.protocol}://${req.get('host')}`),
    });
  }

  return [
    ...ENDPOINTS.map((e): RouteDef => ({ method: 'get', path: e.path, access: e.access, api: true, handler: serve(e) })),
    { method: 'get', path: OPENAPI_ENDPOINT.path, access: 'public', api: true, handler: document },
    { method: 'get', path: API_DOCS_PATH, access: 'user', handler: docs },
  ];
}
