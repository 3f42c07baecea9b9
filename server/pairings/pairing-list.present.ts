import type { Translate } from '../lib/i18n.ts';
import type { PairingView } from './pairings.queries.ts';

/**
 * The pairing list's rows as the text each cell shows, labels translated once here rather than by
 * three helper calls and a partial per row (the list's rendering was a third of its time; issue 9).
 */
export function presentPairingRows(items: readonly PairingView[], t: Translate) {
  return items.map((p) => ({
    id: p.id,
    kindLabel: p.pairupKind
      ? `${t(`pairings.level.${p.level}`)} · ${t(`pairings.kind.${p.pairupKind}`)}`
      : t(`pairings.level.${p.level}`),
    assistingName: p.assistingName,
    assistingUnit: p.assistingUnit,
    assistedName: p.assistedName,
    assistedUnit: p.assistedUnit,
    years: `${p.startYear}–${p.endYear ?? ''}`,
    status: p.status,
    statusLabel: t(`pairings.status.${p.status}`),
  }));
}
