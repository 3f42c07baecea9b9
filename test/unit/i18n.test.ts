import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { locales, translator } from '../../server/lib/i18n.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('translations', () => {
  it('when the two languages are compared, then they have the same keys and no empty text', () => {
    const zh = Object.keys(locales['zh-CN']).sort();
    const en = Object.keys(locales.en).sort();
    expect(en).to.deep.equal(zh);
    for (const [lang, dict] of Object.entries(locales)) {
      for (const [key, text] of Object.entries(dict)) expect(text.trim(), `${lang} ${key}`).to.not.equal('');
    }
  });

  it('when a view or the server names a key, then the key exists', () => {
    const used = new Set<string>();
    for (const file of [...files('views'), ...files('server')].filter((f) => /\.(hbs|ts)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:\{\{t |\(t |t\(|flash\([^,]+, '[a-z]+', |key: |new \w+Error\()['"]([a-z]+(?:\.[A-Za-z-]+)+)['"]/g,
      ))
        used.add(m[1]!);
    }
    // Only keys of the locales' own namespaces are message keys; other dotted strings
    // (framework keys such as 'team.jiangsu' in the default framework) are data.
    const namespaces = new Set(Object.keys(locales['zh-CN']).map((k) => k.split('.')[0]));
    for (const k of used) if (!namespaces.has(k.split('.')[0]!)) used.delete(k);
    expect(used.size).to.be.greaterThan(40);
    const missing = [...used].filter((k) => !(k in locales['zh-CN']));
    expect(missing).to.deep.equal([]);
  });

  it('when a text has placeholders, then they are filled and unknown ones are left visible', () => {
    const t = translator('zh-CN');
    expect(t('common.pageOf', { page: 2, pages: 5, total: 230 })).to.equal('第 2 / 5 页，共 230 条');
    expect(translator('en')('auth.welcome', {})).to.equal('Welcome, {name}.');
    expect(t('no.such.key')).to.equal('no.such.key');
  });
});

describe('translations of keys built at run time', () => {
  it('when measures, enums, stages, grades and areas are shown, then each has a text in both languages', async () => {
    const { INDICATOR_MEASURES } = await import('../../server/assessment/assessment.framework.ts');
    const { DEFAULT_AREAS } = await import('../../server/assessment/assessment.defaults.ts');
    const { RECORD_KINDS, formFields } = await import('../../server/records/records.service.ts');
    const { roundStages, pairingLevels, pairupKinds, pairingStatuses, confirmationStates } =
      await import('../../db/schema/index.ts');
    const keys = [
      ...INDICATOR_MEASURES.map((m) => `measure.${m}`),
      ...DEFAULT_AREAS.map((a) => `area.${a.key}`),
      ...roundStages.map((s) => `stage.${s}`),
      ...['good', 'fairlyGood', 'average', 'poor'].map((g) => `grade.${g}`),
      ...pairingLevels.map((l) => `pairings.level.${l}`),
      ...pairupKinds.map((k) => `pairings.kind.${k}`),
      ...pairingStatuses.map((s) => `pairings.status.${s}`),
      ...confirmationStates.map((s) => `enum.confirmation.${s}`),
      ...Object.values(RECORD_KINDS).flatMap((kind) => [
        `records.kind.${kind.key}`,
        ...formFields(kind).map((f) => `field.${f.name}`),
        ...formFields(kind).flatMap((f) => (f.type === 'enum' ? f.options.map((o) => `enum.${f.enum}.${o}`) : [])),
      ]),
    ];
    for (const [lang, dict] of Object.entries(locales)) {
      expect(
        keys.filter((k) => !(k in dict)),
        lang,
      ).to.deep.equal([]);
    }
  });
});
