import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import multer from 'multer';

/** Where uploads stream to; every file (named after the process) is removed once its request is done. */
export const uploadDir = join(tmpdir(), 'ewc-uploads');
export const uploadPrefix = `${process.pid}-`;

/** Whether a process of that id runs (one of another user's counts: it cannot be signalled, but it lives). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the uploads a killed process left behind (its requests never finished, so nothing else
 * will): files in uploadDir whose pid prefix names no running process. Run at start; how many.
 */
export function sweepLeftUploads(): number {
  let names: string[];
  try {
    names = readdirSync(uploadDir);
  } catch {
    return 0; // no uploads yet
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? 0);
    if (pid === 0 || pid === process.pid || alive(pid)) continue;
    rmSync(join(uploadDir, name), { force: true });
    removed++;
  }
  return removed;
}

/** Multer's storage for the app's uploads: a temp file of a random name in uploadDir. */
export function tempFileStorage(extension: string): multer.StorageEngine {
  return multer.diskStorage({
    destination: (_req, _file, cb) =>
      mkdir(uploadDir, { recursive: true }).then(
        () => cb(null, uploadDir),
        (e: Error) => cb(e, uploadDir),
      ),
    filename: (_req, _file, cb) => cb(null, `${uploadPrefix}${randomUUID()}.${extension}`),
  });
}

/** The first bytes of a file on disk (fewer when the file is shorter). */
export async function headOf(path: string, bytes: number): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  const fh = await open(path);
  try {
    const { bytesRead } = await fh.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The four bytes every zip (an .xlsx, a .docx) starts with. */
export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
export const isZip = (head: Uint8Array) => ZIP_MAGIC.every((b, i) => head[i] === b);

/** The largest file a user may attach (assessment evidence, a record's files). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Accepted files: the type the browser claims must match the file's name and its own first bytes. */
const FILE_TYPES: Record<string, { ext: string[]; magic: number[] }> = {
  'application/pdf': { ext: ['.pdf'], magic: [0x25, 0x50, 0x44, 0x46] },
  'image/png': { ext: ['.png'], magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { ext: ['.jpg', '.jpeg'], magic: [0xff, 0xd8, 0xff] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: ['.docx'], magic: ZIP_MAGIC },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: ['.xlsx'], magic: ZIP_MAGIC },
};

/** A file name safe to store and to send back in a header: no folders, no control or reserved characters. */
export function cleanFileName(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f"<>|*?:]/g, '_');
  return base.slice(-120) || fallback;
}

/**
 * Why an arrived file is refused ('empty', or 'type' when its claimed type, its name's extension
 * and its first bytes disagree or are not accepted), or undefined when it is accepted.
 */
export function fileRefusal(filename: string, mime: string, data: Uint8Array): 'empty' | 'type' | undefined {
  if (data.length === 0) return 'empty';
  const type = FILE_TYPES[mime];
  const ext = filename.slice(filename.lastIndexOf('.')).toLowerCase();
  if (!type || !type.ext.includes(ext) || !type.magic.every((b, i) => data[i] === b)) return 'type';
  return undefined;
}
