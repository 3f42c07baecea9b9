import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { createDb } from '../../db/client.ts';
import { buildRecord, FUND_FORM } from '../support/factories.ts';
import { Client, killAll, prepareDb, startApp, tempDir, type Running } from './fault-server.ts';

/**
 * Two people (two sessions) open the same form at the same version and press save at the same
 * moment, against the real server over HTTP: one save wins, the other is told 409 with what it
 * typed still in the form, and the stored row and its history show exactly one change per round.
 */

const ROUNDS = 6;

/** The form's hidden fields (CSRF, version, one-time token) as the browser sends them back. */
function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]!] ??= m[2]!;
  return out;
}

async function post(c: Client, path: string, fields: Record<string, string>) {
  return c.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Both open the form, then both send their own value at once; who won, and the loser's page. */
async function race(clients: Client[], formPath: string, savePath: string, fieldsOf: (i: number) => Record<string, string>) {
  const forms = await Promise.all(clients.map((c) => c.get(formPath)));
  const versions = forms.map((f) => hidden(f.text).version);
  expect(versions[0], 'both forms at the same version').to.equal(versions[1]);
  const answers = await Promise.all(clients.map((c, i) => post(c, savePath, { ...hidden(forms[i]!.text), ...fieldsOf(i) })));
  expect(answers.map((a) => a.status).sort()).to.deep.equal([302, 409]);
  const winner = answers.findIndex((a) => a.status === 302);
  return { winner, loser: answers[1 - winner]!, version: Number(versions[0]) };
}

describe('faults: two saves of the same thing at the same moment', function () {
  this.timeout(120_000);
  const { dir, cleanup } = tempDir('race');
  const path = join(dir, 'app.db');
  let app: Running;
  let clients: Client[];
  let countyId = 0;
  let fundId = 0;
  let reader: Database.Database;

  before(async () => {
    ({ countyId } = await prepareDb(path));
    const db = createDb(path);
    fundId = buildRecord(db, 'funds', countyId, { purpose: '原用途' }).id;
    db.$client.close();
    app = await startApp(path, dir);
    clients = await Promise.all([new Client(app.base).login('office.jiangsu'), new Client(app.base).login('office.jiangsu')]);
    reader = new Database(path, { readonly: true });
  });
  after(async () => {
    reader?.close();
    await killAll();
    cleanup();
  });

  const updatesOf = (entity: string, id: number) =>
    reader
      .prepare("SELECT count(*) FROM audit_log WHERE entity = ? AND entity_id = ? AND action = 'update'")
      .pluck()
      .get(entity, String(id)) as number;

  it('when two sessions save different values over the same version of a record, then one wins and the other gets 409 with its input', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const typed = [`甲的用途 ${round}`, `乙的用途 ${round}`];
      const { winner, loser, version } = await race(
        clients,
        `/records/funds/${fundId}/edit`,
        `/records/funds/${fundId}`,
        (i) => ({ ...FUND_FORM, purpose: typed[i]! }),
      );
      expect(loser.text)
        .to.contain('这条数据已被他人修改')
        .and.contain(`value="${typed[1 - winner]}"`);
      const row = reader.prepare('SELECT purpose, version FROM funds WHERE id = ?').get(fundId) as {
        purpose: string;
        version: number;
      };
      expect(row).to.deep.equal({ purpose: typed[winner], version: version + 1 });
      expect(updatesOf('record.funds', fundId)).to.equal(round);
    }
  });

  it('when two sessions save a pair’s agreement of a year at once (first the new one, then an edit), then one wins and the other gets 409 with its input', async () => {
    const url = `/pairings/${countyId}/agreements/2024`;
    for (let round = 1; round <= 3; round++) {
      const jobs = [String(1000 + round), String(2000 + round)];
      const { winner, loser, version } = await race(clients, url, url, (i) => ({ jobs: jobs[i]! }));
      expect(version).to.equal(round - 1); // 0: nobody had saved it yet
      expect(loser.text)
        .to.contain('这条数据已被他人修改')
        .and.contain(`value="${jobs[1 - winner]}"`);
      const rows = reader.prepare('SELECT jobs, version FROM agreements WHERE pairing_id = ? AND year = 2024').all(countyId);
      expect(rows).to.deep.equal([{ jobs: Number(jobs[winner]), version: round }]);
    }
  });
});
