/** English texts of one area, merged into en.ts. Keys must match zh-CN.robust.ts. */
export const enrobust: Record<string, string> = {
  'errors.tooLarge.title': 'Request too large',
  'errors.tooLarge.body': 'What you sent is too large for the system. Please shorten it or send it in parts.',
  'errors.tooManyFields.body': 'The form has too many fields for the system. Please send it in parts.',
  'errors.unsupported.title': 'Unsupported content',
  'errors.charset.body': 'The character encoding of what you sent is not supported; please use UTF-8.',
  'errors.encoding.body': 'The compression of what you sent is not supported.',
  'errors.unavailable.title': 'Service temporarily unavailable',
  'errors.unavailable.body': 'The service is temporarily unavailable. Please try again later.',
  'errors.dbUnavailable.body':
    'The database cannot be written right now (disk full, read-only or an I/O error). Your change was not saved; data saved before is unaffected. Please try again later or contact the administrator.',
  'errors.dbBusy.body': 'The database is busy. Your change was not saved. Please try again shortly.',
  'errors.dbFull.body':
    'The server’s storage is full. Your change was not saved; data saved before is unaffected. Please contact the administrator to free or add space, then submit again.',
  'pdf.unavailable':
    'PDF printing is unavailable: no browser (Chromium) is installed on the server. Please contact the administrator, or print the web page instead.',
  'pdf.busy': 'PDF printing is busy. Please try again shortly.',
  'upload.zipBomb':
    'The file unpacks to far too much data or too many entries (a possible "zip bomb") and was refused. Please upload an ordinary Word or Excel file.',
  'upload.badZip': 'The file is not a valid Word or Excel file (the archive is damaged) and was refused.',
};
