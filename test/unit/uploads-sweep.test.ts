import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { sweepLeftUploads, uploadDir, uploadPrefix } from '../../server/lib/uploads.ts';

describe('uploads: what a killed server left behind', () => {
  it('when the start sweeps the upload folder, then files of a process no longer running go and those of running ones stay', () => {
    mkdirSync(uploadDir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has ended
    const left = join(uploadDir, `${gone}-left.csv`);
    const mine = join(uploadDir, `${uploadPrefix}mine.csv`);
    const parent = join(uploadDir, `${process.ppid}-running.csv`);
    for (const f of [left, mine, parent]) writeFileSync(f, 'x');
    try {
      expect(sweepLeftUploads()).to.be.at.least(1);
      expect([left, mine, parent].map((f) => existsSync(f))).to.deep.equal([false, true, true]);
    } finally {
      for (const f of [left, mine, parent]) rmSync(f, { force: true });
    }
  });
});
