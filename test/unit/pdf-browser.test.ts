import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { npmBrowser, npmBrowserSupported, unpackInto } from '../../server/lib/browser.ts';
import { fontFacesFor } from '../../server/lib/pdf-fonts.ts';

describe('the PDF fonts (no system CJK font needed)', () => {
  const faces = (css: string) => css.match(/@font-face/g)?.length ?? 0;

  it('when a page is Latin only, then one subset is inlined, as a data URI', () => {
    const css = fontFacesFor('<p>Scorecard 2023</p>');
    expect(faces(css)).to.equal(1);
    expect(css).to.contain("font-family:'Noto Sans SC'").and.to.contain('src:url(data:font/woff2;base64,');
  });

  it('when a page holds Chinese, then only the subsets of its characters are inlined', () => {
    const few = fontFacesFor('江苏省');
    expect(faces(few)).to.be.within(1, 3);
    const more = fontFacesFor('江苏省 财政援助资金完成协议目标 陕西省 贵州省');
    expect(faces(more)).to.be.greaterThan(faces(few)).and.to.be.below(20); // of ~100
  });
});

describe('the npm-shipped browser', function () {
  this.timeout(120_000);
  before(function () {
    if (!npmBrowserSupported) this.skip(); // the package ships linux-x64 only
  });

  it('when fontconfig is set up for it, then it sees the package’s one font and none of the system’s', async () => {
    const { executablePath, env } = await npmBrowser();
    const conf = readFileSync(env!.FONTCONFIG_FILE!, 'utf8');
    expect(conf.match(/<dir>/g)).to.have.length(1);
    expect(conf).to.contain(`<dir>${join(dirname(executablePath), 'fonts')}</dir>`);
    expect(conf).not.to.match(/<include|\/usr\/share\/fonts|\/etc\/fonts/);
    expect(env!.LD_LIBRARY_PATH!.split(':')[0]).to.equal(join(dirname(executablePath), 'lib'));
    expect(readdirSync(join(dirname(executablePath), 'lib'))).to.include('libnss3.so');
    expect(process.env.LD_LIBRARY_PATH ?? '').not.to.contain(dirname(executablePath)); // the browser's only
  });

  it('when two unpack it at once (as parallel test processes do), then both get the same complete browser, which starts', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ewc-unpack-'));
    try {
      const [a, b] = await Promise.all([unpackInto(parent, 'browser'), unpackInto(parent, 'browser')]);
      expect(a).to.equal(b);
      expect(readdirSync(parent)).to.deep.equal(['browser']); // no half-unpacked copy left behind
      const env = { ...process.env, LD_LIBRARY_PATH: join(a, 'lib') };
      expect(execFileSync(join(a, 'chromium'), ['--version'], { env, encoding: 'utf8' })).to.match(/Chromium \d+/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
