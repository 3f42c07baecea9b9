import { expect } from 'chai';
import { journey, type Journey, type Person } from '../../support/journey.ts';
import { pdfText } from '../../support/pdf.ts';

/**
 * The 2026 round from cross-check to publication, as its people do it: the admin moves the round
 * on, the evaluator scores every judged indicator from its worklist (a score departing from the
 * self-assessment is refused without its reason), the evaluator proposes publication and the admin
 * confirms it on the page that names the consequence (refused until its box is ticked). Then 陕西's
 * liaison opens its published scorecard and downloads the PDF, which holds the scores the page shows.
 */
const YEAR = '2026';
const LEADERSHIP = '组织领导：联席会议、高层互访、工作台账';
const INNOVATION = '创新做法';

/** Opens the 2026 year page from the main menu. */
async function yearPage(p: Person): Promise<void> {
  await p.nav('年度考核');
  const row = p.page.getByRole('row').filter({ hasText: YEAR });
  await p.go(row.getByRole('link', { name: '进入本年度考核' }));
  expect(await p.page.innerText('h1')).to.equal(`${YEAR} 年度考核`);
}

/** The stage the year page marks as current. */
const stageOf = (p: Person) => p.page.locator('ol.stages li.current strong').innerText();

/** 陕西's row in the year page's league table. */
const shaanxiRow = (p: Person) =>
  p.page
    .getByRole('row')
    .filter({ has: p.page.getByRole('link', { name: '陕西省', exact: true }) })
    .innerText();

/** A total as the league and the scorecard print it ("72.34 / 95.00"), as a number. */
function totalOf(text: string): number {
  const m = /(\d+\.\d\d) \/ 95\.00/.exec(text);
  expect(m, `a total out of 95 in ${text}`).to.not.equal(null);
  return Number(m![1]);
}

/** The admin moves the round one stage on from the year page and reads where it now is. */
async function advance(admin: Person, to: string): Promise<void> {
  await admin.go(admin.page.getByRole('button', { name: '进入下一阶段' }));
  expect(await admin.text()).to.contain(`考核已进入「${to}」阶段。`);
  expect(await stageOf(admin)).to.equal(to);
}

/** The worklist's count, "已评 n / m", as two numbers. */
async function progress(p: Person): Promise<[number, number]> {
  const m = /已评 (\d+) \/ (\d+)/.exec(await p.page.locator('.progress strong').innerText());
  expect(m, 'the worklist progress').to.not.equal(null);
  return [Number(m![1]), Number(m![2])];
}

/**
 * The evaluator scores what waits, always the first item (each save moves on to the next): 陕西's
 * leadership below its self score of 9.5 — refused without a reason, then given one — its
 * innovation as its self score (no reason needed), every other object's a score and a comment.
 */
async function scoreAll(evaluator: Person): Promise<void> {
  const { page } = evaluator;
  const [done0, total] = await progress(evaluator);
  expect([done0, total]).to.deep.equal([0, 36]); // 18 objects × 2 judged indicators
  for (let done = 0; done < total; done++) {
    const item = page.locator('section.work-item').first();
    const heading = await item.locator('h2').innerText();
    const score = item.getByLabel(/^您的评分/);
    const comment = item.getByLabel('说明');
    const save = item.getByRole('button', { name: '保存并转到下一项' });
    if (heading.startsWith('陕西省') && heading.includes(LEADERSHIP)) {
      expect(await item.innerText()).to.contain('9.5'); // its self score, beside the box
      await evaluator.fill(score, '8.5');
      await evaluator.go(save);
      // refused: the reason is asked for at the field, the score typed is still there
      const again = page.locator('section.work-item').first();
      expect(await again.innerText()).to.contain('您的评分与被考核方自评不同，请写明理由');
      expect(await again.getByLabel(/^您的评分/).inputValue()).to.equal('8.5');
      expect(await again.getByLabel('说明').getAttribute('aria-invalid')).to.equal('true');
      // the cursor waits in the box that needs the reason, not in the score already given
      expect(await page.evaluate("document.activeElement?.getAttribute('name')"), 'focus on the comment').to.equal('text');
      expect(await progress(evaluator)).to.deep.equal([done, total]);
      await evaluator.snap('worklist-reason-asked');
      await evaluator.fill(again.getByLabel('说明'), '台账缺两次会议记录，扣 1.5 分');
      await evaluator.go(again.getByRole('button', { name: '保存并转到下一项' }));
    } else if (heading.startsWith('陕西省') && heading.includes(INNOVATION)) {
      await evaluator.fill(score, '5'); // as its self score: no reason needed
      await evaluator.go(save);
    } else {
      await evaluator.fill(score, heading.includes(INNOVATION) ? '4' : '8');
      await evaluator.fill(comment, '材料齐全，做法可推广');
      await evaluator.go(save);
    }
    expect(await evaluator.text()).to.contain('已保存评分');
    expect(await progress(evaluator)).to.deep.equal([done + 1, total]);
  }
  expect(await evaluator.text()).to.contain('分配给您的指标已全部评分。');
  expect(await page.locator('section.work-item').count()).to.equal(0);
}

async function scoreAndPublish(j: Journey): Promise<void> {
  // at self-assessment the evaluator has nothing to score yet, though its home counts what will come
  const evaluator = await j.as('evaluator');
  expect(await evaluator.text()).to.contain('您还有 36 项评分未填');
  await evaluator.go(evaluator.page.getByRole('link', { name: '评分任务' }).first());
  expect(await evaluator.text()).to.contain('当前阶段（自评）没有评分任务');

  // the admin (no author of any self-assessment) moves the round to cross-check
  const admin = await j.as('admin');
  await yearPage(admin);
  expect(await stageOf(admin)).to.equal('自评');
  const before = await shaanxiRow(admin);
  expect(before).to.contain('2 项待评分'); // its two judged indicators count nothing yet
  await advance(admin, '交叉考核');

  // the evaluator works through its worklist, from the year page
  await yearPage(evaluator);
  await evaluator.go(evaluator.page.getByRole('link', { name: '评分任务' }));
  expect(await evaluator.text()).to.contain('考核轮次：交叉考核');
  await scoreAll(evaluator);
  await evaluator.nav('首页');
  const home = await evaluator.text();
  expect(home).to.contain('2026 年度考核 · 交叉考核').and.to.contain('您的评分已全部完成');
  expect(home).not.to.contain('项评分未填');

  // comprehensive evaluation, then feedback: every required score is there
  await yearPage(admin);
  await advance(admin, '综合评价');
  expect(await admin.text()).not.to.contain('项待评分');
  await advance(admin, '反馈');
  expect(await admin.text()).to.contain('发布须两人完成');

  // the evaluator (a member of the year's teams) proposes; it cannot confirm its own proposal
  await yearPage(evaluator);
  expect(await stageOf(evaluator)).to.equal('反馈');
  await evaluator.go(evaluator.page.getByRole('button', { name: '提议发布' }));
  const proposed = await evaluator.text();
  expect(proposed).to.contain('已提议发布，等待另一人确认。');
  expect(proposed).to.match(/考核评估组 已于 .+ 提议发布/);
  expect(await evaluator.page.getByRole('link', { name: '确认发布…' }).count()).to.equal(0);

  // the admin confirms on the page naming the consequence: not before ticking the box
  await yearPage(admin);
  expect(await admin.text()).to.match(/考核评估组 已于 .+ 提议发布/);
  await admin.go(admin.page.getByRole('link', { name: '确认发布…' }));
  expect(await admin.page.innerText('h1')).to.equal(`确认发布 ${YEAR} 年度考核结果`);
  expect(await admin.text()).to.contain('发布后所有评分卡将冻结，不可撤销。');
  await admin.go(admin.page.getByRole('button', { name: '确认发布' }));
  expect(await admin.text()).to.contain('请勾选确认框后再发布。');
  await admin.snap('publish-confirm-refused');
  expect(await admin.page.innerText('h1')).to.equal(`确认发布 ${YEAR} 年度考核结果`);
  await admin.tick(admin.page.getByLabel(/我已核对全部评分，确认发布/));
  await admin.go(admin.page.getByRole('button', { name: '确认发布' }));
  expect(await admin.text()).to.contain('考核结果已发布，所有评分卡已冻结。');
  expect(await stageOf(admin)).to.equal('已发布');
  expect(await admin.page.getByRole('button', { name: '进入下一阶段' }).count()).to.equal(0);
  const leagueRow = await shaanxiRow(admin);
  expect(leagueRow).not.to.contain('待评分');
  expect(totalOf(leagueRow)).to.be.closeTo(totalOf(before) + 8.5 + 5, 0.001); // the two scores typed, added

  await readScorecard(j, leagueRow);
}

/**
 * 陕西's liaison opens its published scorecard:
 * the total, the grade and the leadership score typed above are on the page and in its PDF.
 */
async function readScorecard(j: Journey, leagueRow: string): Promise<void> {
  const liaison = await j.as('liaison.shaanxi');
  await yearPage(liaison);
  expect(await stageOf(liaison)).to.equal('已发布');
  await liaison.go(liaison.page.getByRole('link', { name: '陕西省', exact: true }));
  const { page } = liaison;
  expect(await page.innerText('h1')).to.contain('陕西省');
  const summary = page.locator('dl.facts.summary');
  const dd = (term: string) => summary.locator(`dt:text-is("${term}") + dd`).innerText();
  const total = await dd('得分');
  const grade = await summary.locator('dt:text-is("等次") + dd .tag').innerText();
  expect(grade).to.be.oneOf(['好', '较好', '一般', '较差']);
  expect(await dd('考核轮次')).to.equal('已发布');
  expect(total).to.match(/^\d+\.\d\d \/ 95\.00$/);
  expect(leagueRow).to.contain(total); // as the league table showed it
  expect(leagueRow).to.contain(grade);
  const leadership = await page.locator('tr[data-indicator="org.leadership"] td').nth(4).innerText();
  const innovation = await page.locator('tr[data-indicator="innovation"] td').nth(4).innerText();
  expect(leadership).to.equal('8.50 / 10.00');
  expect(innovation).to.equal('5.00 / 5.00');
  expect(await liaison.text()).to.contain('台账缺两次会议记录，扣 1.5 分'); // the evaluator's reason, beside its score

  await liaison.snap('scorecard-published');
  const pdf = await liaison.download(page.getByRole('link', { name: 'PDF', exact: true }));
  expect(pdf.name).to.equal(`${YEAR}-陕西省.pdf`);
  expect(pdf.body.subarray(0, 5).toString()).to.equal('%PDF-');
  const text = (await pdfText(pdf.body)).replace(/\s+/g, '');
  expect(text).to.contain('陕西省');
  expect(text).to.contain(total.replace(/\s+/g, ''));
  expect(text).to.contain(grade);
  expect(text).to.contain('已发布');
  expect(text).to.contain(LEADERSHIP);
  // the sides' table: 陕西's own 9.50, then the evaluator's 8.50 and its reason; innovation as self-assessed
  expect(text).to.match(/9\.50\/10\.00召开联席会议.{0,40}8\.50\/10\.00与自评不同理由：台账缺两次会议记录，扣1\.5分/);
  expect(text).to.match(/模式覆盖12个县。.{0,40}5\.00\/5\.00/);
}

journey(
  'an evaluator scores from its worklist, the round is published with its confirmation, and the scorecard PDF holds the scores',
  (j) => scoreAndPublish(j),
);
