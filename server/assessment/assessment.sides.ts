import { formatHundredths } from '../lib/present.ts';
import type { Reader } from './assessment.present.ts';
import type { ObjectResult } from './assessment.scorecards.ts';

/**
 * Each side's view of a scorecard, indicator by indicator: what the assessed side gave itself (its
 * score, statement and evidence), what the paired side said of it (agree or not, with a comment),
 * and the score the assessment gave (with the evaluators' reasons where it departs from the
 * self-assessment); then the objection raised in the feedback stage and its answer. The same rows
 * show on the page, in its PDF (whose annex lists the objections) and from the frozen snapshot.
 */

export interface SideInput {
  kind: string;
  indicatorKey: string;
  userId: number;
  score: number | null;
  text: string | null;
  /** When it was last written (a Date live, its ISO text in a published snapshot). */
  createdAt?: Date | string | number;
}

const timeOf = (i: SideInput) => (i.createdAt === undefined ? 0 : new Date(i.createdAt).getTime());

export interface SideEvidence {
  id: number;
  indicatorKey: string;
  stage?: string;
  filename: string;
}

export interface SideRow {
  key: string;
  name: string;
  area: string;
  self: { score: string | null; text: string; evidence: SideEvidence[] } | null;
  /** stale: the self-assessment was changed after the opinion was given. */
  opinions: { agree: boolean; text: string; stale: boolean }[];
  assessed: { score: string; departs: boolean; reasons: string[] };
  objection: {
    texts: string[];
    evidence: SideEvidence[];
    reply: { accepted: boolean; score: string | null; text: string } | null;
  } | null;
}

export function sideRows(
  object: ObjectResult,
  inputs: readonly SideInput[],
  evidence: readonly SideEvidence[],
  reader: Reader,
): SideRow[] {
  const { t, locale } = reader;
  return object.indicators.map((ind) => {
    const mine = inputs.filter((i) => i.indicatorKey === ind.key);
    const of = (kind: string) => mine.filter((i) => i.kind === kind);
    const files = (stage: string) => evidence.filter((e) => e.indicatorKey === ind.key && (e.stage ?? 'self') === stage);
    const self = of('self')[0];
    const selfScore = self?.score ?? null;
    const selfFiles = files('self');
    const max = formatHundredths(ind.max);
    const score = ind.notApplicable !== null ? t('scorecard.na') : `${formatHundredths(ind.score)} / ${max}`;
    const departs = selfScore !== null && ind.score !== null && ind.notApplicable === null && selfScore !== ind.score;
    // the reasons behind the score given: the evaluators' comments, the moderation, the rule
    const reasons = [
      ...of('judged').flatMap((i) => (i.text ? [i.text] : [])),
      ...of('moderated').flatMap((i) => (i.text ? [t('sides.moderatedBecause', { text: i.text })] : [])),
      ...(ind.rule.type === 'computed' && departs ? [t(ind.why)] : []),
    ];
    const objections = of('objection');
    const reply = of('reply')[0];
    return {
      key: ind.key,
      name: locale === 'en' ? ind.name.en : ind.name.zh,
      area: reader.areaName?.(ind.area) ?? t(`area.${ind.area}`),
      self:
        self || selfFiles.length > 0
          ? {
              score: selfScore !== null ? `${formatHundredths(selfScore)} / ${max}` : null,
              text: self?.text ?? '',
              evidence: selfFiles,
            }
          : null,
      opinions: of('opinion').map((i) => ({
        agree: i.score === 1,
        text: i.text ?? '',
        stale: !!self && timeOf(self) > timeOf(i),
      })),
      assessed: { score, departs, reasons },
      objection:
        objections.length > 0
          ? {
              texts: objections.map((i) => i.text ?? ''),
              evidence: files('feedback'),
              reply: reply
                ? {
                    accepted: reply.score !== null,
                    score: reply.score !== null ? `${formatHundredths(reply.score)} / ${max}` : null,
                    text: reply.text ?? '',
                  }
                : null,
            }
          : null,
    };
  });
}
