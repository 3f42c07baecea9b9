import { z } from 'zod';
import { translator } from '../lib/i18n.ts';
import { ALL_ENDPOINTS, type Endpoint } from './api.endpoints.ts';
import { apiSchemas } from './api.schemas.ts';

/**
 * The OpenAPI 3.1 document of the read API, generated from the endpoint list and its zod schemas
 * (zod's own JSON Schema output, draft 2020-12, the dialect of OpenAPI 3.1). Built once.
 */
const JSON_SCHEMA = { target: 'draft-2020-12' } as const;
const REF = (id: string) => `#/components/schemas/${id}`;
const en = translator('en');

type Json = Record<string, unknown>;

/** The express path as OpenAPI writes it: /pairings/:id → /pairings/{id}. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** A schema without the keywords that only a whole document carries. */
function bare(schema: Json): Json {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema' && k !== '$id'));
}

export interface ParameterDoc {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Json;
}

/** An endpoint's parameters, each with its JSON Schema (as the query string or the path carries it). */
export function parametersOf(e: Endpoint): ParameterDoc[] {
  const list = (schema: z.ZodObject, where: 'path' | 'query') => {
    const json = z.toJSONSchema(schema, { ...JSON_SCHEMA, io: 'input' }) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: s,
    }));
  };
  return [...list(e.params, 'path'), ...list(e.query, 'query')];
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: REF('Error') } } },
});

const RESPONSES = {
  Unauthorized: errorResponse('No credentials, or a token that is unknown, revoked or expired (code unauthorized)'),
  Forbidden: errorResponse('The account may not read this (code forbidden)'),
  NotFound: errorResponse('Not found, or outside the reader’s scope (code not_found)'),
  InvalidQuery: errorResponse('A query parameter is unknown or has a bad value (code invalid_query, with fields)'),
  RateLimited: errorResponse(
    'Too many requests in a minute with this token, or with all of its user’s tokens (code rate_limited; see Retry-After)',
  ),
  ServerError: errorResponse('The server failed (code internal_error) or is busy (code unavailable)'),
};
const ref = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });

function operation(e: Endpoint, components: Record<string, Json>): Json {
  const id = apiSchemas.get(e.response)?.id;
  const schema = id && id in components ? { $ref: REF(id) } : bare(z.toJSONSchema(e.response, JSON_SCHEMA) as Json);
  const kind = e.kind ? { kind: en(`records.kind.${e.kind}`) } : {};
  const responses: Json = {
    '200': { description: en('api.ok'), content: { 'application/json': { schema } } },
    '422': ref('InvalidQuery'),
    '500': ref('ServerError'),
  };
  if (e.access !== 'public')
    Object.assign(responses, { '401': ref('Unauthorized'), '403': ref('Forbidden'), '429': ref('RateLimited') });
  if (e.params.keyof().options.length > 0 || e.access !== 'public') responses['404'] = ref('NotFound');
  return {
    operationId: e.id,
    summary: en(`api.op.${e.id.replace(/_\w+$/, '')}`, kind),
    tags: [e.tag],
    parameters: parametersOf(e).map((p) => ({ ...p, description: en(`api.param.${p.name}`) })),
    responses,
    ...(e.access === 'public' ? { security: [] } : {}),
  };
}

function build(): Json {
  const generated = z.toJSONSchema(apiSchemas, { ...JSON_SCHEMA, uri: REF }).schemas as Record<string, Json>;
  const components = Object.fromEntries(Object.entries(generated).map(([id, s]) => [id, bare(s)]));
  const paths: Record<string, Json> = {};
  for (const e of ALL_ENDPOINTS) paths[openApiPath(e.path)] = { get: operation(e, components) };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'East–West collaboration platform: read API',
      version: '1.0.0',
      description: en('api.description'),
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }, { session: [] }],
    tags: ['regions', 'pairings', 'agreements', 'records', 'assessment', 'meta'].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      responses: RESPONSES,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal access token (ewc_…), made and revoked on the profile page (/account)',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'ewc.sid', description: 'The session of a signed-in browser' },
      },
    },
  };
}

let built: Json | undefined;
/** The document, built at the first request and kept (it depends on the code alone). */
export function openApiDocument(): Json {
  return (built ??= build());
}
