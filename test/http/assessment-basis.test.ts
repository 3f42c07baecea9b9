import { expect } from 'chai';
import { yearBasis } from '../../server/assessment/assessment.basis.ts';
import { openRound } from '../../server/assessment/assessment.rounds.ts';
import { createFramework, getFramework, saveFramework } from '../../server/assessment/assessment.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';

/** A world with the 2024 framework and round, and an evaluator in both default teams. */
async function world() {
  const { app, db } = buildApp();
  buildJiangsuShaanxi(db);
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'eva' });
  createFramework(db, SYSTEM, 2024, [evaluator.id]);
  openRound(db, SYSTEM, 2024);
  return { db, agent: await loginAs(app, evaluator) };
}

/** The framework as an admin edits it: a copy of the saved document, changed, then saved. */
function edit(db: ReturnType<typeof buildApp>['db'], change: (doc: ReturnType<typeof getFramework>['doc']) => void) {
  const fw = getFramework(db, 2024);
  const doc = structuredClone(fw.doc);
  change(doc);
  saveFramework(db, SYSTEM, 2024, JSON.stringify(doc), fw.version);
}

describe('the framework and visibility kept between views', () => {
  it('when the framework is edited between two views, then the second view of the year shows the edit', async () => {
    const { db, agent } = await world();
    expect((await agent.get('/assessment/2024')).text).not.to.contain('2099-12-31');
    edit(db, (doc) => {
      doc.steps[0]!.due = '2099-12-31';
    });
    expect((await agent.get('/assessment/2024')).text).to.contain('2099-12-31');
  });

  it('when a team loses an object between two views, then its evaluator no longer sees that scorecard', async () => {
    const { db, agent } = await world();
    const key = 'r.assisting.320000';
    expect((await agent.get('/assessment/2024')).text).to.contain(`/assessment/2024/scorecards/${key}"`);
    expect((await agent.get(`/assessment/2024/scorecards/${key}`)).status).to.equal(200);
    edit(db, (doc) => {
      for (const team of doc.organisation.teams) team.assigned = team.assigned.filter((k) => k !== key);
    });
    expect((await agent.get('/assessment/2024')).text).not.to.contain(`/assessment/2024/scorecards/${key}"`);
    expect((await agent.get(`/assessment/2024/scorecards/${key}`)).status).to.equal(404);
  });

  it('when nothing changed between two views, then the second reuses the same kept framework', async () => {
    const { db, agent } = await world();
    await agent.get('/assessment/2024');
    const kept = yearBasis(db, 2024);
    await agent.get('/assessment/2024');
    expect(yearBasis(db, 2024)).to.equal(kept);
    expect(Object.isFrozen(kept.framework!.doc)).to.equal(true);
  });
});
