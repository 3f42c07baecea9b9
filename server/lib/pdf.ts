import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type BrowserInstall, npmBrowser, npmBrowserSupported } from './browser.ts';
import { AppError, ServiceUnavailableError } from './errors.ts';
import { fontFacesFor } from './pdf-fonts.ts';

/** A browser that prints HTML to PDF; the pool owns one at a time. */
export interface PdfBrowser {
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
  /** Called once if the browser dies or disconnects. */
  onExit(listener: () => void): void;
}
export type PdfLauncher = () => Promise<PdfBrowser>;

export interface PdfPoolOptions {
  launch: PdfLauncher;
  /** Pages printed at once. */
  concurrency?: number;
  /** Requests waiting for a page; beyond that, 503 at once. */
  maxQueue?: number;
  /** How long a request may wait for a page before it gets a 503. */
  queueTimeoutMs?: number;
  /** How long one print may take; a browser that hangs is closed and relaunched. */
  printTimeoutMs?: number;
  /** Retry-After of a busy answer, in seconds. */
  retryAfterS?: number;
  /** A browser left without work this long is closed (memory back; the next print relaunches it). */
  idleMs?: number;
}

export interface PdfPool {
  render(html: string): Promise<Buffer>;
  close(): Promise<void>;
  readonly stats: { launches: number; active: number; queued: number };
}

/** No browser binary: PDF printing is unavailable until an administrator installs one. */
class BrowserMissingError extends Error {}

// Chromium on a closed network: no background traffic, no sandbox when run as root in CI.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface ChromiumOptions {
  /** The browser binary (config CHROMIUM_PATH); unset: the one shipped in npm (browser.ts). */
  executablePath?: string | undefined;
  /** The app's stylesheet (with its print rules), added to each page: the HTML is loaded without a server. */
  stylesheetPath: string;
}

/** Launches Chromium and prints each page in its own context. */
export function chromiumLauncher({ executablePath, stylesheetPath }: ChromiumOptions): PdfLauncher {
  let css: string | undefined;
  return async () => {
    css ??= await readFile(stylesheetPath, 'utf8');
    const browser = await launchBrowser(executablePath);
    return {
      async print(html) {
        const page = await browser.newPage();
        try {
          await page.setContent(html, { waitUntil: 'load' });
          // The fonts for the page's characters, inlined; printing waits until they are loaded.
          await page.addStyleTag({ content: `${fontFacesFor(html)}\n${css}` });
          await page.evaluate(
            'Promise.all([...document.fonts].map((f) => f.load())).then(() => document.fonts.ready, () => false)',
          );
          return await page.pdf({
            format: 'A4',
            printBackground: true,
            margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
          });
        } finally {
          await page.close().catch(() => undefined);
        }
      },
      close: () => browser.close(),
      onExit: (listener) => browser.on('disconnected', listener),
    };
  };
}

/**
 * How the browser is started: CHROMIUM_PATH as it is (its own environment, e.g. Debian's Chromium
 * with the system's libraries and fonts), or else the npm-shipped one with its libraries and fonts.
 */
export async function resolveBrowser(executablePath: string | undefined): Promise<BrowserInstall> {
  if (executablePath) {
    if (!existsSync(executablePath)) throw new BrowserMissingError(executablePath);
    return { executablePath, args: ARGS };
  }
  if (!npmBrowserSupported) throw new BrowserMissingError(`no npm browser for ${process.platform}-${process.arch}`);
  const npm = await npmBrowser();
  return { ...npm, args: [...new Set([...npm.args, ...ARGS])] };
}

async function launchBrowser(executablePath: string | undefined) {
  const how = await resolveBrowser(executablePath);
  // Loaded at the first print, not at start: Playwright alone is 100 MB of resident memory (issue 9).
  const { chromium } = await import('playwright-core');
  // Our own shutdown closes the browser; Playwright still kills it if the process exits.
  const launch = () => chromium.launch({ ...how, handleSIGINT: false, handleSIGTERM: false });
  try {
    return await launch();
  } catch (err) {
    // A process forked while the binary was being written may hold it open for a moment.
    if (!String(err).includes('ETXTBSY')) throw err;
    await new Promise((r) => setTimeout(r, 200));
    return launch();
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One browser shared by all requests, launched on first use and again after it dies; at most
 * `concurrency` pages at once, a bounded queue behind them, and a 503 with Retry-After when the
 * queue is full or a request waited too long.
 */
export function createPdfPool(options: PdfPoolOptions): PdfPool {
  const { launch } = options;
  const concurrency = options.concurrency ?? 2;
  const maxQueue = options.maxQueue ?? 16;
  const queueTimeoutMs = options.queueTimeoutMs ?? 20_000;
  const printTimeoutMs = options.printTimeoutMs ?? 30_000;
  const retryAfter = options.retryAfterS ?? 10;
  const idleMs = options.idleMs ?? 10_000;
  const busy = () => new ServiceUnavailableError('pdf.busy', retryAfter);

  const stats = { launches: 0, active: 0, queued: 0 };
  const queue: Waiter[] = [];
  let current: PdfBrowser | undefined;
  let launching: Promise<PdfBrowser> | undefined;
  let closed = false;
  let idle: NodeJS.Timeout | undefined;

  function acquire(): Promise<void> {
    if (closed) return Promise.reject(busy());
    clearTimeout(idle);
    if (stats.active < concurrency) {
      stats.active++;
      return Promise.resolve();
    }
    if (queue.length >= maxQueue) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          stats.queued = queue.length;
          reject(busy());
        }, queueTimeoutMs),
      };
      queue.push(waiter);
      stats.queued = queue.length;
    });
  }

  function release() {
    const next = queue.shift();
    stats.queued = queue.length;
    if (!next) {
      if (--stats.active === 0) idle = setTimeout(() => current && discard(current), idleMs).unref();
      return;
    }
    clearTimeout(next.timer);
    next.resolve(); // the slot passes on
  }

  function browser(): Promise<PdfBrowser> {
    if (current) return Promise.resolve(current);
    launching ??= (async () => {
      stats.launches++;
      try {
        const b = await launch();
        b.onExit(() => {
          if (current === b) current = undefined;
        });
        current = b;
        return b;
      } catch (err) {
        throw new ServiceUnavailableError(err instanceof BrowserMissingError ? 'pdf.unavailable' : 'pdf.busy', retryAfter);
      } finally {
        launching = undefined;
      }
    })();
    return launching;
  }

  /** Drops a browser that hung or failed: the next request launches a fresh one. */
  function discard(b: PdfBrowser) {
    if (current === b) current = undefined;
    b.close().catch(() => undefined);
  }

  async function render(html: string): Promise<Buffer> {
    await acquire();
    try {
      const b = await browser();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('print timed out')), printTimeoutMs);
      });
      try {
        return await Promise.race([b.print(html), timeout]);
      } catch (err) {
        if (err instanceof AppError) throw err;
        discard(b);
        throw busy();
      } finally {
        clearTimeout(timer);
      }
    } finally {
      release();
    }
  }

  async function close() {
    closed = true;
    clearTimeout(idle);
    for (const w of queue.splice(0)) {
      clearTimeout(w.timer);
      w.reject(busy());
    }
    stats.queued = 0;
    const b = current ?? (await launching?.catch(() => undefined));
    current = undefined;
    await b?.close().catch(() => undefined);
  }

  return { render, close, stats };
}
