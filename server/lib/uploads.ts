import { randomUUID } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multer from 'multer';

/** Where uploads stream to; every file (named after the process) is removed once its request is done. */
export const uploadDir = join(tmpdir(), 'ewc-uploads');
export const uploadPrefix = `${process.pid}-`;

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
