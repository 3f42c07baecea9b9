import type { FrameworkDoc, Indicator } from './assessment.framework.ts';

/**
 * The default framework seeded for each demo year, built from DOMAIN.md's areas. The points are
 * ILLUSTRATIVE (no public source gives the official weights) and are edited per year as data.
 */
const I = (
  key: string,
  zh: string,
  en: string,
  area: string,
  points: number,
  side: Indicator['side'],
  rule: Indicator['rule'],
  bands?: Indicator['bands'],
): Indicator => ({
  key,
  name: { zh, en },
  area,
  points,
  side,
  rule,
  bands: bands ?? { onTrack: 90, progress: 60, highIsGood: true },
});
const ratio = (measure: Extract<Indicator['rule'], { type: 'computed' }>['measure']) => ({
  type: 'computed' as const,
  measure,
  scoring: { type: 'ratio_to_target' as const },
});

export const DEFAULT_INDICATORS: Indicator[] = [
  I(
    'org.leadership',
    '组织领导：联席会议、高层互访、工作台账',
    'Leadership: joint meetings, visits, ledger',
    'organisation',
    10,
    'both',
    { type: 'judged' },
  ),
  I('funds.fiscal', '财政援助资金完成协议目标', 'Fiscal funds against the agreement', 'funds', 15, 'both', ratio('fiscalFunds')),
  I('funds.fiscal.notBelow', '财政援助资金不低于上年', 'Fiscal funds not below last year', 'funds', 10, 'assisting', {
    type: 'computed',
    measure: 'fiscalFunds',
    scoring: { type: 'not_below_previous' },
  }),
  I(
    'funds.social',
    '社会帮扶资金完成协议目标',
    'Social funds against the agreement',
    'funds',
    5,
    'assisting',
    ratio('socialFunds'),
  ),
  I('funds.confirmed', '资金到账确认率（%）', 'Share of transfers confirmed (%)', 'funds', 10, 'assisted', {
    type: 'computed',
    measure: 'confirmedShare',
    scoring: {
      type: 'bands',
      bands: [
        { min: 60, points: 4 },
        { min: 80, points: 7 },
        { min: 95, points: 10 },
      ],
    },
  }),
  I('talent.cadres', '选派挂职干部完成协议目标', 'Cadres against the agreement', 'talent', 5, 'both', ratio('cadresSent')),
  I(
    'talent.professionals',
    '专业技术人才完成协议目标',
    'Professionals against the agreement',
    'talent',
    5,
    'both',
    ratio('professionalsSent'),
  ),
  I('talent.trained', '培训人数', 'People trained', 'talent', 5, 'both', ratio('peopleTrained')),
  I(
    'industry.enterprises',
    '引导企业落地完成协议目标',
    'Enterprises landed against the agreement',
    'industry',
    5,
    'both',
    ratio('enterprises'),
  ),
  I(
    'industry.investment',
    '实际到位投资完成协议目标',
    'Actual investment against the agreement',
    'industry',
    10,
    'both',
    ratio('investment'),
  ),
  I('labour.jobs', '帮助就业完成协议目标', 'People helped into jobs against the agreement', 'labour', 10, 'both', ratio('jobs')),
  I(
    'consumption.purchases',
    '消费帮扶完成协议目标',
    'Consumption assistance against the agreement',
    'consumption',
    10,
    'both',
    ratio('purchases'),
  ),
  I('pairups.count', '携手奔小康县以下结对', 'Pair-ups below county', 'pairups', 5, 'both', {
    type: 'computed',
    measure: 'pairups',
    scoring: {
      type: 'bands',
      bands: [
        { min: 1, points: 2 },
        { min: 10, points: 4 },
        { min: 30, points: 5 },
      ],
    },
  }),
  I('innovation', '创新做法', 'Innovative practice', 'innovation', 5, 'both', { type: 'judged' }),
];

export const DEFAULT_AREAS = [
  { key: 'organisation', name: { zh: '组织领导', en: 'Organisation and leadership' } },
  { key: 'funds', name: { zh: '资金支持', en: 'Funds' } },
  { key: 'talent', name: { zh: '人才支援', en: 'Talent' } },
  { key: 'industry', name: { zh: '产业合作', en: 'Industry cooperation' } },
  { key: 'labour', name: { zh: '劳务协作', en: 'Labour cooperation' } },
  { key: 'consumption', name: { zh: '消费帮扶', en: 'Consumption assistance' } },
  { key: 'pairups', name: { zh: '携手奔小康', en: 'Pair-ups' } },
  { key: 'innovation', name: { zh: '创新', en: 'Innovation' } },
];

export const EAST_2021 = ['110000', '120000', '310000', '320000', '330000', '350000', '370000', '440000'];
export const WEST_2021 = ['150000', '450000', '500000', '510000', '520000', '530000', '610000', '620000', '630000', '640000'];

/** A default framework for a year; evaluators are filled in by the seed from the demo accounts. */
export function defaultFramework(year: number, evaluatorIds: number[]): FrameworkDoc {
  const provinceObjects = (codes: string[]) => codes.map((code) => ({ kind: 'region' as const, code }));
  return {
    illustrative: true,
    goals: {
      title: `${year} 年度东西部协作考核评价`,
      purpose: '坚持结果导向，巩固拓展脱贫攻坚成果，推动乡村振兴，检验年度协作协议落实情况。',
      aims: ['年度协作协议目标全面完成', '财政援助资金和干部人才力度不减', '帮扶产业和就业持续稳定'],
    },
    organisation: {
      body: '东西部协作工作领导小组（示例）',
      teams: [
        {
          key: 'team.jiangsu',
          name: '江苏考核组',
          homeProvince: '320000',
          evaluators: evaluatorIds,
          outsideMembers: ['第三方评估机构（示例）'],
          assigned: [
            ...EAST_2021.filter((c) => c !== '320000').map((c) => `r.assisting.${c}`),
            ...WEST_2021.filter((c) => c !== '610000' && c !== '630000').map((c) => `r.assisted.${c}`),
          ],
          lead: evaluatorIds[0] ?? null,
        },
        {
          key: 'team.guangdong',
          name: '广东考核组',
          homeProvince: '440000',
          evaluators: evaluatorIds,
          outsideMembers: [],
          assigned: ['r.assisting.320000', 'r.assisted.610000', 'r.assisted.630000'],
          lead: evaluatorIds[0] ?? null,
        },
      ],
    },
    objects: {
      groups: [
        { key: 'east', name: '帮扶省份', side: 'assisting', members: provinceObjects(EAST_2021) },
        { key: 'west', name: '受援省份', side: 'assisted', members: provinceObjects(WEST_2021) },
      ],
    },
    // copies: a caller editing its year's document must never edit the shipped defaults
    content: {
      areas: structuredClone(DEFAULT_AREAS),
      indicators: structuredClone(DEFAULT_INDICATORS),
      judgedTolerancePercent: 20,
    },
    steps: [
      { stage: 'self', due: `${year}-12-31` },
      { stage: 'crosscheck', due: `${year + 1}-01-31` },
      { stage: 'comprehensive', due: `${year + 1}-02-28` },
      { stage: 'feedback', due: `${year + 1}-03-15` },
      { stage: 'published', due: `${year + 1}-03-31` },
    ],
    grading: {
      cutoffs: { good: 90, fairlyGood: 75, average: 60 },
      quotaGoodPercent: 40,
      vetoes: [
        { key: 'veto.misuse', name: '资金挪用或重大违规', cap: 'poor' },
        { key: 'veto.falseData', name: '数据造假', cap: 'average' },
      ],
    },
  };
}
