import {
  confirmationStates,
  consumption,
  destinations,
  directions,
  fundForms,
  fundKinds,
  funds,
  labour,
  type Side,
  professions,
  projectKinds,
  projectStatuses,
  projects,
  talentKinds,
  talents,
} from '../../db/schema/index.ts';
import type { FieldErrors } from '../lib/validation.ts';
import type { FieldDef } from '../lib/fields.ts';
import type { Translate } from '../lib/i18n.ts';

export const recordKindKeys = ['funds', 'talents', 'projects', 'labour', 'consumption'] as const;
export type RecordKindKey = (typeof recordKindKeys)[number];
export type RecordTable = typeof funds | typeof talents | typeof projects | typeof labour | typeof consumption;
export type RecordInput = Record<string, unknown> & { year: number; date: string };

/** What the cross-field checks may know besides the input. */
export interface CheckContext {
  pairing: { assistedCode: string; startYear: number; endYear: number | null };
  /** Region lookups for location fields. */
  region: (code: string) => { level: string; code: string } | undefined;
  within: (container: string, code: string) => boolean;
  /** Ids of live projects of this pairing (for a fund's project link). */
  projectIds: () => Set<number>;
}

export interface RecordKind {
  key: RecordKindKey;
  table: RecordTable;
  /** Fields specific to the kind, in form order (year, date first and ref, notes last are added). */
  fields: FieldDef[];
  /** Columns a list shows besides date and pairing. */
  listColumns: string[];
  /**
   * Ownership: the sides whose staff may enter a record of this kind. A record belongs to the side
   * that entered it (its `side` column); only that side edits or deletes it, the other side reads
   * it and comments.
   */
  enteredBy: readonly Side[];
  /** The side that confirms (or reports what it received of) the other side's record, if any. */
  confirmedBy?: Side;
  /** The field whose value names the record in lists and history ("purpose", "name" …). */
  titleField: string;
  /** Filters offered on the list (enum fields of the kind, form or state). */
  filterFields: string[];
  /** Fields the workflow sets rather than the form (a fund's confirmation): listed and filtered like the others. */
  stateFields?: FieldDef[];
  check: (input: RecordInput, ctx: CheckContext) => FieldErrors;
  /** Values computed from the stored ones, shown on the detail page (e.g. a secondment's length). */
  derived?: (row: Record<string, unknown>) => { name: string; key: string; params: Record<string, number> }[];
}

const DAY = 24 * 60 * 60 * 1000;
/** Inclusive length in days of a period given as ISO dates. */
export function daysBetween(start: unknown, end: unknown): number | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const ms = Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / DAY) + 1 : null;
}

export const COMMON_HEAD: FieldDef[] = [
  { name: 'year', type: 'int', min: 1996, max: 2100, required: true },
  { name: 'date', type: 'date', required: true },
];
export const COMMON_TAIL: FieldDef[] = [
  { name: 'ref', type: 'text', max: 40 },
  { name: 'notes', type: 'textarea', max: 2000 },
];

const inYear = (date: unknown, year: number) => typeof date === 'string' && date.startsWith(`${year}-`);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Rules every kind shares: the record's year is one the pairing was in force, its date in that year. */
function commonChecks(input: RecordInput, ctx: CheckContext): FieldErrors {
  const errors: FieldErrors = {};
  const { startYear, endYear } = ctx.pairing;
  if (input.year < startYear || (endYear !== null && input.year > endYear)) {
    errors.year = { key: 'records.rule.yearOutsidePairing', params: { from: startYear, to: endYear ?? '—' } };
  }
  if (!inYear(input.date, input.year)) errors.date = { key: 'records.rule.dateOutsideYear', params: { year: input.year } };
  return errors;
}

function notBefore(errors: FieldErrors, input: RecordInput, start: string, end: string) {
  const a = input[start];
  const b = input[end];
  if (typeof a === 'string' && typeof b === 'string' && b < a) errors[end] = { key: 'records.rule.endBeforeStart' };
}

function notMore(errors: FieldErrors, input: RecordInput, part: string, whole: string) {
  if (num(input[part]) > num(input[whole])) errors[part] = { key: 'records.rule.partExceedsWhole' };
}

export const RECORD_KINDS: Record<RecordKindKey, RecordKind> = {
  funds: {
    key: 'funds',
    table: funds,
    fields: [
      { name: 'kind', type: 'enum', options: fundKinds, enum: 'fundKind', required: true },
      { name: 'form', type: 'enum', options: fundForms, enum: 'fundForm', required: true },
      { name: 'committedFen', type: 'money', required: true },
      { name: 'committedOn', type: 'date' },
      { name: 'disbursedFen', type: 'money' },
      { name: 'disbursedOn', type: 'date' },
      { name: 'purpose', type: 'text', max: 200, required: true },
      { name: 'projectId', type: 'id' },
    ],
    listColumns: ['kind', 'purpose', 'committedFen', 'disbursedFen', 'confirmation'],
    // A transfer is the giver's record; the receiver confirms it or records what actually arrived.
    enteredBy: ['assisting'],
    confirmedBy: 'assisted',
    titleField: 'purpose',
    filterFields: ['kind', 'confirmation'],
    stateFields: [{ name: 'confirmation', type: 'enum', options: confirmationStates, enum: 'confirmation' }],
    check(input, ctx) {
      const errors = commonChecks(input, ctx);
      if (input.kind === 'fiscal' && input.form === 'goods') errors.form = { key: 'records.rule.goodsOnlySocial' };
      if (num(input.disbursedFen) > 0 && !input.disbursedOn) errors.disbursedOn = { key: 'validation.required' };
      for (const f of ['committedOn', 'disbursedOn']) {
        if (input[f] !== undefined && !inYear(input[f], input.year))
          errors[f] = { key: 'records.rule.dateOutsideYear', params: { year: input.year } };
      }
      if (typeof input.projectId === 'number' && !ctx.projectIds().has(input.projectId))
        errors.projectId = { key: 'records.rule.projectUnknown' };
      return errors;
    },
  },
  talents: {
    key: 'talents',
    table: talents,
    fields: [
      { name: 'kind', type: 'enum', options: talentKinds, enum: 'talentKind', required: true },
      { name: 'profession', type: 'enum', options: professions, enum: 'profession' },
      { name: 'direction', type: 'enum', options: directions, enum: 'direction', required: true },
      { name: 'people', type: 'int', min: 1, required: true },
      { name: 'trained', type: 'int' },
      { name: 'startOn', type: 'date' },
      { name: 'endOn', type: 'date' },
      { name: 'hostUnit', type: 'text', max: 100 },
    ],
    listColumns: ['kind', 'profession', 'direction', 'people', 'trained', 'hostUnit'],
    enteredBy: ['assisting', 'assisted'],
    titleField: 'hostUnit',
    filterFields: ['kind', 'direction'],
    check(input, ctx) {
      const errors = commonChecks(input, ctx);
      if (input.kind === 'professional' && !input.profession) errors.profession = { key: 'validation.required' };
      if (input.kind === 'training' && input.trained === undefined) errors.trained = { key: 'validation.required' };
      if (input.kind !== 'training' && !input.startOn) errors.startOn = { key: 'validation.required' };
      notBefore(errors, input, 'startOn', 'endOn');
      return errors;
    },
    derived(row) {
      const days = daysBetween(row.startOn, row.endOn);
      return days === null
        ? []
        : [{ name: 'duration', key: 'records.duration', params: { days, months: Math.round(days / 30.4) } }];
    },
  },
  projects: {
    key: 'projects',
    table: projects,
    fields: [
      { name: 'kind', type: 'enum', options: projectKinds, enum: 'projectKind', required: true },
      { name: 'name', type: 'text', max: 200, required: true },
      { name: 'enterprise', type: 'text', max: 200 },
      { name: 'sector', type: 'text', max: 60 },
      { name: 'pledgedFen', type: 'money' },
      { name: 'actualFen', type: 'money' },
      { name: 'locationCode', type: 'region', required: true },
      { name: 'status', type: 'enum', options: projectStatuses, enum: 'projectStatus', required: true },
      { name: 'jobsCreated', type: 'int' },
      { name: 'peopleHelped', type: 'int' },
      { name: 'formerlyPoor', type: 'int' },
    ],
    listColumns: ['kind', 'name', 'enterprise', 'status', 'actualFen', 'jobsCreated'],
    enteredBy: ['assisting', 'assisted'],
    titleField: 'name',
    filterFields: ['kind', 'status'],
    check(input, ctx) {
      const errors = commonChecks(input, ctx);
      const code = String(input.locationCode ?? '');
      const region = ctx.region(code);
      if (!region) errors.locationCode = { key: 'validation.regionUnknown' };
      else if (!ctx.within(ctx.pairing.assistedCode, code)) errors.locationCode = { key: 'records.rule.locationOutsideAssisted' };
      else if (region.level === 'province') errors.locationCode = { key: 'records.rule.locationTooBroad' };
      notMore(errors, input, 'formerlyPoor', 'peopleHelped');
      return errors;
    },
  },
  labour: {
    key: 'labour',
    table: labour,
    fields: [
      { name: 'periodStart', type: 'date', required: true },
      { name: 'periodEnd', type: 'date', required: true },
      { name: 'destination', type: 'enum', options: destinations, enum: 'destination', required: true },
      { name: 'people', type: 'int', min: 1, required: true },
      { name: 'formerlyPoor', type: 'int' },
    ],
    listColumns: ['periodStart', 'periodEnd', 'destination', 'people', 'formerlyPoor'],
    enteredBy: ['assisting', 'assisted'],
    titleField: 'destination',
    filterFields: ['destination'],
    check(input, ctx) {
      const errors = commonChecks(input, ctx);
      if (!inYear(input.periodStart, input.year))
        errors.periodStart = { key: 'records.rule.dateOutsideYear', params: { year: input.year } };
      notBefore(errors, input, 'periodStart', 'periodEnd');
      notMore(errors, input, 'formerlyPoor', 'people');
      return errors;
    },
  },
  consumption: {
    key: 'consumption',
    table: consumption,
    fields: [
      { name: 'amountFen', type: 'money', required: true },
      { name: 'products', type: 'text', max: 200, required: true },
      { name: 'channel', type: 'text', max: 100 },
    ],
    listColumns: ['products', 'channel', 'amountFen'],
    enteredBy: ['assisting', 'assisted'],
    titleField: 'products',
    filterFields: [],
    check: commonChecks,
  },
};

export function formFields(kind: RecordKind): FieldDef[] {
  return [...COMMON_HEAD, ...kind.fields, ...COMMON_TAIL];
}

/** Every field a list may show or filter on: the form's, then the workflow's. */
export function listableFields(kind: RecordKind): FieldDef[] {
  return [...formFields(kind), ...(kind.stateFields ?? [])];
}

export function isRecordKind(value: unknown): value is RecordKindKey {
  return typeof value === 'string' && (recordKindKeys as readonly string[]).includes(value);
}

/** A record's name as people call it (a project's name, a transfer's purpose …), from its kind's title field; undefined when it holds none. */
export function titleOf(kind: RecordKind, values: unknown): string | undefined {
  const title = (values as Record<string, unknown> | null | undefined)?.[kind.titleField];
  return typeof title === 'string' && title.trim() !== '' ? title : undefined;
}

/** A title as it reads: a choice (labour's destination) by its label, never its code; any other as written. */
export function titleText(kind: RecordKind, title: string, t: Translate): string {
  const field = kind.fields.find((f) => f.name === kind.titleField);
  return field?.type === 'enum' ? t(`enum.${field.enum}.${title}`) : title;
}

/** A record's name as it reads (titleOf through titleText), undefined when it holds none. */
export function nameOf(kind: RecordKind, values: unknown, t: Translate): string | undefined {
  const title = titleOf(kind, values);
  return title === undefined ? undefined : titleText(kind, title, t);
}

/** titleText for a change's entity (`record.<kind>`); a title of anything else as written. */
export function entityTitleText(entity: string, title: string, t: Translate): string {
  const kind = entity.slice('record.'.length);
  return entity.startsWith('record.') && isRecordKind(kind) ? titleText(RECORD_KINDS[kind], title, t) : title;
}
