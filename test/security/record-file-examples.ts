import { attachFile } from '../../server/records/records.files.ts';
import type { RecordKindKey } from '../../server/records/records.service.ts';
import { viaForm, type RouteWorld, type Submission } from './routes.support.ts';

type KindExample = (kind: RecordKindKey) => (w: RouteWorld) => Promise<Submission>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A file on 江苏's record of the kind, attached through the service as 江苏's office. */
export function fileOn(w: RouteWorld, kind: RecordKindKey, recordId: number): number {
  const actor = { id: w.users.jiangsu.id, role: 'staff' as const, scope: '32' };
  return attachFile(w.db, actor, kind, recordId, { filename: '凭证.pdf', mime: 'application/pdf', data: PDF }).id;
}

/**
 * Files on records, for every record kind: 江苏's office (the owner of the route world's 江苏
 * records) attaches a file from the record page's form (multipart, as the browser sends it) and
 * removes one from the confirmation page's form.
 */
export const RECORD_FILE_EXAMPLES: Record<string, KindExample> = {
  'POST /records/:kind/:rid/files': (kind) => async (w) => {
    const page = `/records/${kind}/${w.records.js[kind]}`;
    const s = await viaForm(w, 'jiangsu', page, `${page}/files`);
    return { ...s, file: { field: 'file', name: '合同.pdf', type: 'application/pdf', content: PDF } };
  },
  'POST /records/:kind/:rid/files/:fid/delete': (kind) => (w) => {
    const page = `/records/${kind}/${w.records.js[kind]}`;
    const fid = fileOn(w, kind, w.records.js[kind]);
    return viaForm(w, 'jiangsu', `${page}/files/${fid}/delete`, `${page}/files/${fid}/delete`);
  },
};
