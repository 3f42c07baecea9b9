/** English texts of notifications and the daily digest, merged into en.ts. Keys must match zh-CN.notify.ts. */
export const enNotify: Record<string, string> = {
  'nav.notifications': 'Reminders',
  'notify.title': 'Reminders',
  'notify.intro':
    'Gathered once a day: report deadlines, returned reports, transfers awaiting confirmation, records the partner changed and assessment stages. Opening one marks it read and takes you to its page.',
  'notify.markAllRead': 'Mark all read',
  'notify.allRead': '{n} reminders marked read.',
  'notify.unread': 'Unread',
  'notify.unreadCount': '{n} unread reminders',
  'notify.none': 'No reminders yet.',
  'notify.kind.deadline7': '{pairing}: the {sideName}’s {year} report is not submitted; due {deadline} ({days} days left)',
  'notify.kind.deadline1':
    '{pairing}: the {sideName}’s {year} report is not submitted and is due {deadline}: please submit it now',
  'notify.kind.returned': '{pairing}: the {sideName}’s {year} report was returned: {reason}',
  'notify.kind.transfer': '{pairing}: a transfer ({purpose}, {amount} 万元) has awaited confirmation for {days} days',
  'notify.kind.edits': '{pairing}: the partner changed {n} records',
  'notify.kind.stage': 'The {year} assessment moved to “{stageName}”',
  'notify.mail.subject': 'East–West collaboration: daily reminders ({day}, {n})',
  'notify.mail.greeting': 'Hello {name}, here are today’s reminders.',
  'notify.mail.footer': 'Sign in to the platform for details. This message was sent automatically.',
  'users.email': 'Email',
  'users.emailHelp': 'Optional. When a mail server is set up, the daily reminders are mailed here.',
  'validation.email': 'Enter a valid email address',
};
