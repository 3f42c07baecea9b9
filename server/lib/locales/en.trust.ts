/** English texts of one area (ownership, comments, one-time forms), merged into en.ts. Keys must match zh-CN.trust.ts. */
export const entrust: Record<string, string> = {
  'pairings.structure': 'Sides and level',
  'pairings.structureLocked':
    'This pairing already has records, agreements or child pairs, so its sides, level and parent can no longer change. To pair with someone else, end this pairing and start a new one; an admin corrects a mistyped side, giving a reason.',
  'pairings.reason': 'Reason for the correction',
  'pairings.reasonHelp': 'Required when correcting the sides, level or parent of a pairing in use; kept in the history.',
  'pairings.rule.structureFixed': 'This pairing is in use, so this cannot change; end it and start a new one.',
  'pairings.rule.ownSideFixed': 'You cannot move your own side out of the pairing.',
  'pairings.rule.childrenOutside':
    'Its child pairs would fall outside this pairing (or no longer fit its level); adjust or end them first.',
  'pairings.rule.alreadyEnded': 'This pairing has already ended.',
  'pairings.rule.reasonRequired': 'Give a reason for the correction.',
  'history.action.correct': 'Corrected pairing',
  'history.action.comment': 'Comment',
  'records.rule.enteredBy.assisting':
    'Records of this kind are entered by the assisting side; the assisted side reads and comments.',
  'records.rule.enteredBy.assisted':
    'Records of this kind are entered by the assisted side; the assisting side reads and comments.',
  'records.rule.ownedBy.assisting':
    'This record was entered by the assisting side, and only that side may change or delete it; you may read it and comment.',
  'records.rule.ownedBy.assisted':
    'This record was entered by the assisted side, and only that side may change or delete it; you may read it and comment.',
  'records.rule.sideNotYours': 'You cannot enter this kind of record for that side.',
  'records.rule.alreadyConfirmed': 'This transfer is already confirmed.',
  'records.owner.assisting': 'Entered by the assisting side',
  'records.owner.assisted': 'Entered by the assisted side',
  'records.readOnlyHere': 'you may read and comment',
  'records.enteredAs': 'Entered by',
  'agreements.ownerNote': 'Targets are set by the assisting side’s staff; the assisted side reads them and may comment.',
  'agreements.rule.assistingEdits': 'Targets are set by the assisting side; you may read them and comment.',
  'comments.title': 'Comments',
  'comments.none': 'No comments yet.',
  'comments.add': 'Write a comment',
  'comments.help': 'Both sides see comments; they cannot be changed once posted.',
  'comments.submit': 'Post comment',
  'comments.added': 'Comment posted.',
  'comments.tooLong': 'A comment may be at most 2,000 characters.',
  'comments.empty': 'A comment cannot be empty.',
  'comments.side.assisting': 'assisting side',
  'comments.side.assisted': 'assisted side',
  'errors.mediaType.body': 'Only web forms can be sent here; please fill in the form on the page.',
  'errors.refused.title': 'This cannot be done',
  'forms.alreadySent': 'This form was already sent; nothing was saved twice.',
  'field.side': 'Entered by',
  'field.reason': 'Reason',
};
