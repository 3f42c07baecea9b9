/** English texts of histories people read (issue 12), merged into en.ts. Keys must match zh-CN.history.ts. */
export const enHistory: Record<string, string> = {
  'history.money': '{amount} {unit}',
  'history.action.undo-import': 'Import undone',
  'history.byImport': 'import #{id}',
  'history.imported': 'Imported {count} records',
  'history.undoneImport': 'Undid the import of {count} records',
  'history.importRows': 'The records of this import',
  'history.moreRows': '{count} more not listed.',
  'history.scope': 'Every change to this pairing, its agreements, records and reports, newest first.',
  'history.ofUser': 'Account history',
  'history.ofAgreement': 'Agreement history',
  'history.action.enable': 'Account enabled',
  'history.action.disable': 'Account disabled',
  'history.action.reset-password': 'Password reset',
  'history.action.change-password': 'Password changed',
  'history.action.read-all': 'Marked all read',
  'history.thing.report': '{year} report ({side})',
};
