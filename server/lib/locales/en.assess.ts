/** English texts of one area, merged into en.ts. Keys must match zh-CN.assess.ts. */
export const enassess: Record<string, string> = {
  'assessment.organisationLocked':
    'The organisation (teams, members and assignments) is set only by an admin or the round’s owner. You may change the rest: leave the organisation part as it was and save again.',
  'assessment.memberOverlap':
    'Nobody assesses their own region: member {user} of team “{team}” is bound to a region that overlaps {object}, which the team assesses.',
  'assessment.notEvaluator': 'Member {user} of team “{team}” is not an evaluator account.',
  'assessment.proposalPending':
    'Publication has been proposed, so the framework cannot change now; withdraw the proposal or return the round first.',
  'assessment.publishNeedsProposal':
    'Publishing takes two people: one proposes it, and a different admin or evaluator confirms it.',
  'assessment.alreadyProposed': 'Publication has already been proposed and awaits a second person’s confirmation.',
  'assessment.noProposal': 'There is no publication proposal to confirm.',
  'assessment.ownProposal': 'You cannot confirm your own proposal: a different admin or evaluator must confirm it.',
  'assessment.missingScores':
    '{n} objects still lack a required score, so the round cannot be published. The missing scores are listed below.',
  'assessment.nothingToModerate':
    'The scores of this indicator do not differ beyond the tolerance: there is nothing to moderate.',
  'publish.title': 'Confirm publishing the {year} assessment',
  'publish.consequence': 'Once published, every scorecard is frozen. This cannot be undone.',
  'publish.fourEyes': 'Publishing takes two people: one proposes it, and a different admin or evaluator confirms it.',
  'publish.confirmLabel':
    'I have checked every score and confirm publication. Every scorecard will be frozen; this cannot be undone.',
  'publish.confirmRequired': 'Tick the box to confirm.',
  'publish.confirm': 'Confirm and publish',
  'publish.propose': 'Propose publication',
  'publish.withdraw': 'Withdraw the proposal',
  'publish.goConfirm': 'Confirm publication…',
  'publish.proposedBy': '{name} proposed publication on {at}; a different admin or evaluator must confirm it.',
  'publish.waiting': 'This is your proposal: someone else must confirm it.',
  'publish.proposed': 'Publication proposed; waiting for a second person to confirm.',
  'publish.withdrawn': 'The publication proposal was withdrawn.',
  'publish.published': 'The results are published and every scorecard is frozen.',
  'publish.missingTitle': 'Scores still missing before publication ({n} objects)',
  'publish.missingHelp':
    'Each judged indicator needs at least one evaluator’s score (or a moderated one); a spread beyond the tolerance must be moderated by the lead evaluator. Indicators marked not applicable are left out.',
  'publish.changedSinceProposal':
    'The results have changed since publication was proposed (a record or a score was edited), so this proposal cannot be confirmed. Withdraw it, check the results and propose again.',
  'publish.reason.pending': 'not scored',
  'publish.reason.flagged': 'spread to moderate',
  'owner.title': 'Round owner',
  'owner.none': 'none',
  'owner.save': 'Name owner',
  'owner.saved': 'The round owner was updated.',
  'owner.help': 'The owner may set the teams, members and assignments (an admin always may); nobody assesses their own region.',
  'owner.invalid': 'Choose a valid evaluator.',
  'framework.orgLockedHelp':
    'The organisation (teams, members and assignments) is changed only by an admin or the round’s owner; you may change the rest.',
  'framework.organisationRule':
    'A team never assesses objects of its own province, and no member bound to a region overlapping an object it assesses may join it.',
  'framework.lead': 'lead: {name}',
  'framework.noMembers': 'no members yet',
  'assessment.roundMovers':
    'Only an admin, the round’s owner and the members of this year’s teams may move, return or publish the round.',
  'assessment.adminCreatesFramework': 'A new assessment year is started by an admin.',
};
