import { z } from 'zod';
import { schemaOf, type FieldDef } from '../lib/fields.ts';

/** The targets of an annual agreement, in the order of the form. Names are agreement columns. */
export const AGREEMENT_FIELDS: FieldDef[] = [
  { name: 'signedOn', type: 'date' },
  { name: 'fiscalFundsFen', type: 'money' },
  { name: 'socialFundsFen', type: 'money' },
  { name: 'cadres', type: 'int' },
  { name: 'professionals', type: 'int' },
  { name: 'peopleTrained', type: 'int' },
  { name: 'enterprises', type: 'int' },
  { name: 'investmentFen', type: 'money' },
  { name: 'jobs', type: 'int' },
  { name: 'purchasesFen', type: 'money' },
  { name: 'pairups', type: 'int' },
  { name: 'commitments', type: 'textarea', max: 4000 },
];

export const SaveAgreement = schemaOf(AGREEMENT_FIELDS, {
  version: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).default(0)),
});
export type SaveAgreementInput = Record<string, unknown> & { version: number };
