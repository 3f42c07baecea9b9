import yauzl from 'yauzl';

/** How much an uploaded Office file (a zip) may unpack to before it counts as a zip bomb. */
export const ZIP_LIMITS = {
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: 100 * 1024 * 1024,
  /** Above `ratioFloorBytes` unpacked, at most this many times the file's own size. */
  maxRatio: 100,
  ratioFloorBytes: 10 * 1024 * 1024,
  maxEntries: 10_000,
  /** Uncompressed bytes any one entry may unpack to (a reader that keeps an entry whole needs this). */
  maxEntryBytes: Number.POSITIVE_INFINITY,
};
export type ZipLimits = typeof ZIP_LIMITS;

export type ZipVerdict = 'ok' | 'bomb' | 'broken';

/**
 * Reads every entry of a zip file and inflates it with a running count of the bytes it yields,
 * stopping as soon as a limit is passed: the declared sizes in a zip can lie, the inflated bytes
 * cannot. Nothing is kept; the stream's data is only counted.
 */
export function inspectZip(path: string, fileBytes: number, limits: ZipLimits = ZIP_LIMITS): Promise<ZipVerdict> {
  const cap = Math.min(limits.maxTotalBytes, Math.max(limits.ratioFloorBytes, fileBytes * limits.maxRatio));
  return new Promise((resolve) => {
    let settled = false;
    let total = 0;
    let entries = 0;
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return resolve('broken');
      const done = (verdict: ZipVerdict) => {
        if (settled) return;
        settled = true;
        if (zip.isOpen) zip.close();
        resolve(verdict);
      };
      if (zip.entryCount > limits.maxEntries) return done('bomb');
      zip.on('error', () => done('broken'));
      zip.on('end', () => done('ok'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (settled) return;
        if (
          ++entries > limits.maxEntries ||
          total + entry.uncompressedSize > cap ||
          entry.uncompressedSize > limits.maxEntryBytes
        )
          return done('bomb');
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (openErr, stream) => {
          if (openErr || !stream) return done('broken');
          let own = 0;
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            own += chunk.length;
            if (total > cap || own > limits.maxEntryBytes) {
              stream.destroy();
              done('bomb');
            }
          });
          // validateEntrySizes: an entry that inflates past its declared size errors here
          stream.on('error', (e: Error) => done(total > cap || /too many bytes/.test(e.message) ? 'bomb' : 'broken'));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}
