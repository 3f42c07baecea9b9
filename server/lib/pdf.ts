import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { viewsDir } from '../views.ts';

/** Debian's Chromium (apt package `chromium`); no browser is downloaded. CHROMIUM_PATH overrides. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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

let css: string | undefined;

/**
 * Prints a page rendered by the app's own templates to an A4 PDF. The stylesheet (with its print
 * rules) is added to the page directly, since the HTML is loaded without a server.
 */
export async function renderPdf(html: string): Promise<Buffer> {
  css ??= readFileSync(resolve(viewsDir, 'assets/app.css'), 'utf8');
  const browser = await chromium.launch({ executablePath, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.addStyleTag({ content: css });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
}
