import type { Translate } from '../lib/i18n.ts';
import { ALL_ENDPOINTS, API_BASE, type Tag } from './api.endpoints.ts';
import { parametersOf } from './api.openapi.ts';

/** Values the docs page puts into its example requests. */
const EXAMPLES: Record<string, string> = {
  id: '1',
  rid: '1',
  code: '320000',
  year: '2024',
  key: 'r.assisting.320000',
};
const TAGS: Tag[] = ['regions', 'pairings', 'agreements', 'records', 'assessment', 'meta'];

/** A parameter's JSON Schema in a few words: its choices, or its type and bounds. */
function typeText(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).join(' | ');
  const parts = [String(schema.type ?? 'string')];
  if (typeof schema.minimum === 'number' && schema.minimum > -Number.MAX_SAFE_INTEGER) parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number' && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.maxLength === 'number') parts.push(`≤ ${schema.maxLength} chars`);
  if (typeof schema.pattern === 'string') parts.push(schema.pattern);
  return parts.join(', ');
}

/**
 * What the API's docs page shows, from the same endpoint list as the router and the OpenAPI
 * document: each endpoint with its parameters and an example request with a bearer token.
 */
export function docsPage(t: Translate, origin: string) {
  const groups = TAGS.map((tag) => ({
    title: t(`api.tag.${tag}`),
    endpoints: ALL_ENDPOINTS.filter((e) => e.tag === tag).map((e) => {
      const path = e.path.replace(/:(\w+)/g, (_, name: string) => EXAMPLES[name] ?? name);
      const auth = e.access === 'public' ? '' : '-H "Authorization: Bearer ewc_…" ';
      return {
        id: e.id,
        path: e.path,
        summary: t(`api.op.${e.id.replace(/_\w+$/, '')}`, e.kind ? { kind: t(`records.kind.${e.kind}`) } : {}),
        public: e.access === 'public',
        params: parametersOf(e).map((p) => ({
          name: p.name,
          where: t(`api.in.${p.in}`),
          required: p.required,
          type: typeText(p.schema),
          description: t(`api.param.${p.name}`),
        })),
        curl: `curl ${auth}"${origin}${path}"`,
      };
    }),
  }));
  return { groups, base: API_BASE, origin, openapi: `${API_BASE}/openapi.json` };
}
