import { expect } from 'chai';
import { defaultFramework } from '../../server/assessment/assessment.defaults.ts';
import { checkFramework, errorsOf } from '../../server/assessment/assessment.editor.check.ts';
import { errorOffset, lineColumn, parseFrameworkJson, problemText } from '../../server/assessment/assessment.editor.json.ts';
import { addIndicator, moveIndicator, removeArea } from '../../server/assessment/assessment.editor.ts';
import { translator } from '../../server/lib/i18n.ts';

/** The framework editor's pure parts: the running check, the JSON reading and the one-item edits. */
describe('the framework editor, without a database', () => {
  const doc = () => defaultFramework(2026, [1]);
  const zh = translator('zh-CN');
  const en = translator('en');

  it('when the shipped framework is checked, then it has no errors, and the assisted side’s 95 points are a warning, not an error', () => {
    const problems = checkFramework(doc());
    expect(errorsOf(problems)).to.deep.equal([]);
    expect(problems.map((p) => problemText(p, zh, 'zh-CN'))).to.deep.equal(['受援方适用指标合计 95 分，不是 100 分。']);
  });

  it('when a band exceeds its indicator’s points, then the message names the area and indicator in the reader’s language', () => {
    const d = doc();
    const confirmed = d.content.indicators.find((i) => i.key === 'funds.confirmed')!;
    confirmed.points = 5;
    const [problem] = errorsOf(checkFramework(d));
    expect(problemText(problem!, zh, 'zh-CN')).to.equal('资金支持 · 资金到账确认率（%）：分档得分 7 分超过该指标分值 5 分');
    expect(problemText(problem!, en, 'en')).to.equal(
      'Funds · Share of transfers confirmed (%): a band of 7 points exceeds the indicator’s 5 points',
    );
  });

  it('when two areas share a name, then the second is an error naming it', () => {
    const d = doc();
    d.content.areas.push({ key: 'area9', name: { zh: '资金支持', en: 'Funds again' } });
    const texts = errorsOf(checkFramework(d)).map((p) => problemText(p, zh, 'zh-CN'));
    expect(texts).to.deep.equal(['资金支持：已有同名的方面，请改用其他名称。']);
  });

  it('when a measure without an agreement target is scored against its target, or an indicator’s area is gone, then each is an error', () => {
    const d = addIndicator(doc(), {
      zh: '接收干部',
      area: 'talent',
      points: 5,
      side: 'assisted',
      scoring: 'ratio_to_target',
      measure: 'cadresReceived',
      bands: [],
    });
    d.content.indicators[0]!.area = 'nowhere';
    const texts = errorsOf(checkFramework(d)).map((p) => problemText(p, zh, 'zh-CN'));
    expect(texts).to.include('人才支援 · 接收干部：所选计算指标没有协议目标，不能按“完成协议目标比例”计分。');
    expect(texts).to.include('组织领导：联席会议、高层互访、工作台账：所属方面不存在。');
  });

  it('when JSON.parse fails, then the line and column are found from either way V8 reports it', () => {
    expect(lineColumn('ab\ncd\nef', 4)).to.deep.equal({ line: 2, column: 2 });
    const text = '{\n  "a": 1,\n  "b" 2\n}';
    for (const broken of [text, `${text}`.replace('"b" 2', '"b" {}')]) {
      const parsed = parseFrameworkJson(broken);
      expect(parsed.ok).to.equal(false);
      expect(parsed.problems[0]!.params).to.deep.equal({ line: 3, column: 7 });
    }
    expect(errorOffset('{"a": ', 'Unexpected end of JSON input')).to.equal(6);
  });

  it('when a zod error is found, then it names the indicator by its names, never the path', () => {
    const d = doc() as unknown as { content: { indicators: { points: unknown }[] } };
    d.content.indicators[1]!.points = 'ten';
    const parsed = parseFrameworkJson(JSON.stringify(d));
    expect(problemText(parsed.problems[0]!, zh, 'zh-CN')).to.equal('资金支持 · 财政援助资金完成协议目标：分值的值无效。');
    expect(problemText(parsed.problems[0]!, en, 'en')).to.equal(
      'Funds · Fiscal funds against the agreement: Points is not valid.',
    );
  });

  it('when an indicator moves, then only within its area; an area with indicators is not removed', () => {
    const moved = moveIndicator(doc(), 'funds.fiscal', 'up'); // first of its area: stays
    expect(moved.content.indicators.map((i) => i.key)).to.deep.equal(doc().content.indicators.map((i) => i.key));
    expect(() => removeArea(doc(), 'funds')).to.throw();
  });
});
