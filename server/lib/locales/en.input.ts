/** English texts of input checks and plausibility warnings (issue 12 item 6), merged into en.ts. Keys must match zh-CN.input.ts. */
export const enInput: Record<string, string> = {
  'validation.numberGrouping':
    '“{typed}” has its thousands separators in the wrong place: commas go every three digits, e.g. 1,234.5. If you mean {plain}, type {plain}.',
  'warnings.needConfirmation': 'These values must be confirmed before they are saved.',
  'warnings.title': 'Please confirm the values',
  'warnings.heading': 'These values are unusual and have not been saved',
  'warnings.help': 'If they are right, confirm and save; otherwise go back and change them.',
  'warnings.typed': 'What you entered',
  'warnings.confirm': 'Yes, the values are right: save',
  'warnings.revise': 'Go back and change',
  'warning.disbursedAboveCommitted': 'Disbursed above committed',
  'warning.disbursedAboveCommitted.rule': 'A transfer’s disbursed amount is above its committed amount.',
  'warning.disbursedAboveCommitted.message': 'The disbursed amount {disbursed} is above the committed amount {committed}.',
  'warning.peopleTenfold': 'People above 10× last year',
  'warning.peopleTenfold.rule':
    'One record’s number of people is above {factor} times the same pairing’s total for the same measure last year (no warning without last year’s records).',
  'warning.peopleTenfold.message':
    '{people} people is more than {factor} times this pairing’s total of the same kind in {year} ({last} people).',
  'warning.pairupAboveYi': 'Pair-up amount above 100 million yuan',
  'warning.pairupAboveYi.rule':
    'One record of a pair-up below county level (school, hospital, village, enterprise …) has an amount above {limit}.',
  'warning.pairupAboveYi.message': 'The amount {amount} is above the usual ceiling of a pair-up, {limit}.',
  'import.row.warning':
    '{warning} An import cannot confirm such a value: check and correct it, or enter the record through its form and confirm it there.',
  'nav.warnings': 'Value warnings',
  'warnings.rules.title': 'Value warnings',
  'warnings.rules.help':
    'When values typed into a form trip one of these rules, a warning page is shown first and the record is saved only once the user confirms the values are right; the audit log records the warnings confirmed. Import rows that trip a warning are refused. The rules ship with the program and are read-only here.',
  'warnings.rules.name': 'Rule',
  'warnings.rules.rule': 'What it checks',
  'warnings.rules.kinds': 'Records',
};
