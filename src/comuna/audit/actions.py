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
}
