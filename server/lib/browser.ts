import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliDecompress, createBrotliDecompress } from 'node:zlib';
import Chromium from '@sparticuz/chromium';

/**
 * The browser that prints PDFs when CHROMIUM_PATH is not set: the headless Chromium shipped inside
 * the npm package @sparticuz/chromium, so `npm install` alone is enough (no apt packages). The
 * package is built for Amazon Linux on x86-64; what it takes to run it on a bare Debian:
 *  - the NSS/NSPR/expat libraries the package ships for its own platform, on LD_LIBRARY_PATH of the
 *    browser process only (the server's own environment is left alone);
 *  - one font for fontconfig, through a FONTCONFIG_FILE of our own that names no system font
 *    directory (with none, every @font-face load fails and the PDF is blank); the page's own fonts
 *    come as @font-face data (pdf-fonts.ts), so the system's fonts never matter;
 *  - its default arguments without --single-process (with it the browser exits when its last page
 *    closes) and without the two that lower web security.
 */
export interface BrowserInstall {
  executablePath: string;
  /** The environment of the browser process (the server's, plus the libraries and fonts above); unset: the server's. */
  env?: Record<string, string>;
  args: string[];
}

/** The package ships one binary: x86-64 Linux. Elsewhere CHROMIUM_PATH must name a browser. */
export const npmBrowserSupported = process.platform === 'linux' && process.arch === 'x64';

const require = createRequire(import.meta.url);
const packageDir = resolve(dirname(require.resolve('@sparticuz/chromium')), '..', '..');

// Dropped from the package's defaults: see above. WebGL is off (--disable-webgl, not the
// package's unsafe-swiftshader flags); its software GL still serves the in-process GPU thread.
const DROPPED = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);
Chromium.setGraphicsMode = false;

let unpacking: Promise<string> | undefined;

/**
 * Unpacks the browser once per version and machine (the first PDF waits a few seconds), then
 * returns how to launch it. Safe when several processes start at once: each unpacks into a
 * directory of its own and renames it into place, so no browser is ever started from a file still
 * being written (ETXTBSY) and no half-unpacked directory is ever used.
 */
export async function npmBrowser(): Promise<BrowserInstall> {
  unpacking ??= unpackOnce().catch((err: unknown) => {
    unpacking = undefined; // a later print tries again
    throw err;
  });
  const dir = await unpacking;
  const lib = join(dir, 'lib');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.LD_LIBRARY_PATH = [lib, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  env.FONTCONFIG_FILE = join(dir, 'fonts.conf');
  delete env.FONTCONFIG_PATH;
  return { executablePath: join(dir, 'chromium'), env, args: Chromium.args.filter((a) => !DROPPED.has(a)) };
}

async function unpackOnce(): Promise<string> {
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const name = `ewc-chromium-${version}`;
  // Beside node_modules (owned by whoever installed it); a read-only install falls back to a
  // private directory under the system's temp dir (never a predictable shared path).
  const cache = join(packageDir, '..', '..', '.cache');
  try {
    await mkdir(cache, { recursive: true });
    return await unpackInto(cache, name);
  } catch (err) {
    if (!isCode(err, 'EACCES', 'EROFS', 'EPERM')) throw err;
    return unpackInto(await mkdtemp(join(tmpdir(), 'ewc-chromium-')), name);
  }
}

/** Unpacks the browser into `parent/name` unless it is there (exported for the race test). */
export async function unpackInto(parent: string, name: string): Promise<string> {
  const target = join(parent, name);
  if (await exists(join(target, 'chromium'))) return target;
  const work = await mkdtemp(join(parent, `${name}.partial-`));
  try {
    const bin = join(packageDir, 'bin');
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(work, 'chromium')),
    );
    await chmod(join(work, 'chromium'), 0o755);
    await untar(await unbrotli(join(bin, 'al2023.tar.br')), work); // lib/libnss3.so …
    await untar(await unbrotli(join(bin, 'fonts.tar.br')), work); // fonts/Open_Sans/*.ttf
    await untar(await unbrotli(join(bin, 'swiftshader.tar.br')), work); // libGLESv2.so …: the in-process GPU loads it
    await mkdir(join(work, 'fontconfig-cache'));
    await writeFile(join(work, 'fonts.conf'), fontsConf(target));
    await rename(work, target);
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    // Another process got there first: use its copy.
    if (isCode(err, 'ENOTEMPTY', 'EEXIST') && (await exists(join(target, 'chromium')))) return target;
    throw err;
  }
  return target;
}

/** Fontconfig sees the package's one font and nothing of the system (no <include>, no system dirs). */
function fontsConf(dir: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${esc(join(dir, 'fonts'))}</dir>
  <cachedir>${esc(join(dir, 'fontconfig-cache'))}</cachedir>
</fontconfig>
`;
}

const unbrotli = async (file: string) => promisify(brotliDecompress)(await readFile(file));

/** Extracts the plain files and directories of a ustar archive (all the package's archives hold). */
async function untar(tar: Buffer, into: string): Promise<void> {
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) =>
      header
        .subarray(from, from + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    const path = normalize(name);
    if (isAbsolute(path) || path.split('/').includes('..')) throw new Error(`unsafe path in archive: ${name}`);
    if (type === '5') await mkdir(join(into, path), { recursive: true });
    else if (type === '0' || type === '\0') {
      await mkdir(dirname(join(into, path)), { recursive: true });
      await writeFile(join(into, path), data, { mode: parseInt(field(100, 8).trim() || '644', 8) & 0o755 });
    } // pax headers and links: none in the package, skipped
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}
