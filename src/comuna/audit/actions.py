"""Governance actions, grouped by capability. One constant per action, used in the log and its translations."""

from django.utils.translation import gettext_lazy as _

SPHERE_CREATED = "sphere.created"
SPHERE_MOVED = "sphere.moved"
COMPETENCE_SET = "competence.set"
COMPETENCE_REMOVED = "competence.removed"
NETWORK_MEMBER_ADDED = "network.member_added"
ROLE_GRANTED = "role.granted"
ROLE_REVOKED = "role.revoked"
CENSUS_UPLOADED = "census.uploaded"
CODES_ISSUED = "residency.codes_issued"
RESIDENCY_VERIFIED = "residency.verified"
RESIDENCY_REQUEST_DECIDED = "residency.request_decided"
PROCESS_CREATED = "process.created"
PROPOSAL_CREATED = "proposal.created"
PROPOSAL_WITHDRAWN = "proposal.withdrawn"
SUPPORT_CAST = "proposal.supported"
PROPOSAL_THRESHOLD_REACHED = "proposal.threshold_reached"
PROPOSAL_ANSWERED = "proposal.answered"
PROPOSAL_REFERRED = "proposal.referred"
COMMITMENT_UPDATED = "commitment.updated"
MEETING_CALLED = "meeting.called"
MINUTES_PUBLISHED = "meeting.minutes_published"
AMENDMENT_PROPOSED = "amendment.proposed"
AMENDMENT_DECIDED = "amendment.decided"
PB_CREATED = "pb.created"
PB_PROJECT_SUBMITTED = "pb.project_submitted"
PB_PROJECT_REVIEWED = "pb.project_reviewed"
PB_BALLOT_CAST = "pb.ballot_cast"
PB_PAPER_BALLOT = "pb.paper_ballot"
PB_COUNTED = "pb.counted"
PB_IMPORTED = "pb.imported"
ASSEMBLY_CREATED = "assembly.created"
DISTRIBUTION_PUBLISHED = "assembly.distribution_published"
PANEL_DRAWN = "assembly.panel_drawn"
ELECTION_CREATED = "election.created"
BALLOT_CAST = "election.ballot_cast"
ELECTION_COUNTED = "election.counted"
CONTENT_AUTO_HIDDEN = "moderation.auto_hidden"
CONTENT_MODERATED = "moderation.decided"

LABELS = {
    SPHERE_CREATED: _("Sphere created"),
    SPHERE_MOVED: _("Sphere moved in the tree"),
    COMPETENCE_SET: _("Competence declared"),
    COMPETENCE_REMOVED: _("Competence removed"),
    NETWORK_MEMBER_ADDED: _("Member joined the network"),
    ROLE_GRANTED: _("Role granted"),
    ROLE_REVOKED: _("Role revoked"),
    CENSUS_UPLOADED: _("Census uploaded"),
    CODES_ISSUED: _("Verification codes issued"),
    RESIDENCY_VERIFIED: _("Residency verified"),
    RESIDENCY_REQUEST_DECIDED: _("Residency request decided"),
    PROCESS_CREATED: _("Participatory process opened"),
    PROPOSAL_CREATED: _("Proposal filed"),
    PROPOSAL_WITHDRAWN: _("Proposal withdrawn"),
    SUPPORT_CAST: _("Proposal supported"),
    PROPOSAL_THRESHOLD_REACHED: _("Support threshold reached: an official answer is due"),
    PROPOSAL_ANSWERED: _("Official answer given"),
    PROPOSAL_REFERRED: _("Proposal referred to another sphere"),
    COMMITMENT_UPDATED: _("Commitment progress updated"),
    MEETING_CALLED: _("Meeting called"),
    MINUTES_PUBLISHED: _("Meeting minutes published"),
    AMENDMENT_PROPOSED: _("Amendment suggested"),
    AMENDMENT_DECIDED: _("Amendment accepted or rejected by the author"),
    PB_CREATED: _("Participatory budget set up"),
    PB_PROJECT_SUBMITTED: _("Project submitted to the participatory budget"),
    PB_PROJECT_REVIEWED: _("Project reviewed for feasibility"),
    PB_BALLOT_CAST: _("Participatory budget ballot cast"),
    PB_PAPER_BALLOT: _("Paper ballot entered"),
    PB_COUNTED: _("Participatory budget counted"),
    PB_IMPORTED: _("Participatory budget imported from a pabulib file"),
    ASSEMBLY_CREATED: _("Citizens' assembly convened"),
    DISTRIBUTION_PUBLISHED: _("Selection probabilities published"),
    PANEL_DRAWN: _("Assembly members drawn by lot"),
    ELECTION_CREATED: _("Election called"),
    BALLOT_CAST: _("Ballot cast"),
    ELECTION_COUNTED: _("Election counted"),
    CONTENT_AUTO_HIDDEN: _("Content hidden after reports, pending review"),
    CONTENT_MODERATED: _("Moderation decision"),
}


def register(labels: dict) -> None:
    """Capability apps declare their own actions' labels here, from their AppConfig.ready()."""
    LABELS.update(labels)
