/** English texts of one area, merged into en.ts. Keys must match zh-CN.accounts.ts. */
export const enaccounts: Record<string, string> = {
  'validation.duplicate': 'This value is already in use; please choose another.',
  'users.lastAdmin':
    'The system must keep at least one active administrator: the last one can be neither disabled nor given another role. Appoint another administrator first.',
  'users.lastAdminRole': 'This is the last active administrator; its role cannot be changed.',
  'users.scopeChangeEnds': 'A new role or region logs the user out and revokes all their access tokens.',
  'users.resetForcesChange':
    'The user must choose a new password of their own at the next login; their access tokens are all revoked.',
  'password.help':
    'At least 10 characters; not containing the username or the name or code of the region, and not a common password.',
  'password.tooShort': 'At least 10 characters.',
  'password.hasUsername': 'The password must not contain the username.',
  'password.hasRegion': 'The password must not contain the name or code of the region.',
  'password.common': 'This password is too common and easily guessed; please choose another.',
  'password.currentWrong': 'The current password is not right.',
  'password.same': 'The new password must differ from the current one.',
  'account.changePassword': 'Change password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.mustChange': 'An administrator has reset your password. Please choose a new one before going on.',
  'account.otherSessionsEnd':
    'Once changed, your logins on other devices or browsers are ended and your access tokens are all revoked (make new ones on the “My account” page if needed).',
  'account.passwordChanged': 'Password changed; your logins elsewhere have been ended and your access tokens revoked.',
  'auth.tooManyForAccount':
    'Too many failed logins for this account in a row; to keep its password from being guessed, please try again in {wait}.',
  'auth.tooManyFromAddress': 'Too many failed logins from this network address; please try again in {wait}.',
  'auth.wait.seconds': '{n} s',
  'auth.wait.minutes': '{n} min',
};
