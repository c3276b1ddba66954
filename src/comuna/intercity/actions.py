"""Audit action names of the intercity app, registered with the audit log in IntercityConfig.ready()."""

from django.utils.translation import gettext_lazy as _

POLICY_PUBLISHED = "intercity.policy_published"
POLICY_UPDATED = "intercity.policy_updated"
POLICY_ADOPTED = "intercity.policy_adopted"
HELP_REQUESTED = "intercity.help_requested"
MENTOR_OFFERED = "intercity.mentor_offered"
MENTOR_ACCEPTED = "intercity.mentor_accepted"
EXCHANGE_RECORDED = "intercity.exchange_recorded"
DECLARATION_CREATED = "intercity.declaration_created"
DECLARATION_REVISED = "intercity.declaration_revised"
DECLARATION_AMENDMENT_PROPOSED = "intercity.amendment_proposed"
DECLARATION_AMENDMENT_DECIDED = "intercity.amendment_decided"
REMOTE_MEMBER_ADDED = "intercity.remote_member_added"
RATIFICATION_OPENED = "intercity.ratification_opened"
RATIFICATION_VOTE_CALLED = "intercity.ratification_vote_called"
RATIFICATION_VOTE_CAST = "intercity.ratification_vote_cast"
RATIFICATION_DECIDED = "intercity.ratification_decided"
DECLARATION_ADOPTED = "intercity.declaration_adopted"
DIALOGUE_STARTED = "intercity.dialogue_started"
DIALOGUE_POSITION = "intercity.dialogue_position"

ACTIONS = {
    POLICY_PUBLISHED: _("Policy published in the library"),
    POLICY_UPDATED: _("Policy updated"),
    POLICY_ADOPTED: _("Policy adopted and adapted from another sphere"),
    HELP_REQUESTED: _("Help asked from other spheres"),
    MENTOR_OFFERED: _("Mentoring offered"),
    MENTOR_ACCEPTED: _("Mentoring offer accepted"),
    EXCHANGE_RECORDED: _("Peer-learning session recorded"),
    DECLARATION_CREATED: _("Joint declaration drafted"),
    DECLARATION_REVISED: _("Declaration text revised by the drafting group"),
    DECLARATION_AMENDMENT_PROPOSED: _("Amendment to a declaration proposed"),
    DECLARATION_AMENDMENT_DECIDED: _("Amendment to a declaration accepted or rejected"),
    REMOTE_MEMBER_ADDED: _("Member on another instance added to the network"),
    RATIFICATION_OPENED: _("Declaration opened for ratification"),
    RATIFICATION_VOTE_CALLED: _("Residents called to vote on a declaration"),
    RATIFICATION_VOTE_CAST: _("Vote cast on a declaration"),
    RATIFICATION_DECIDED: _("Member's decision on a declaration recorded"),
    DECLARATION_ADOPTED: _("Declaration adopted: quorum reached"),
    DIALOGUE_STARTED: _("Dialogue between spheres started"),
    DIALOGUE_POSITION: _("Official position stated in a dialogue"),
}
