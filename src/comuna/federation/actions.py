"""Audit action names of the federation app."""

from django.utils.translation import gettext_lazy as _

FOLLOWED = "federation.followed"
UNFOLLOWED = "federation.unfollowed"
RATIFICATION_SENT = "federation.ratification_sent"

ACTIONS = {
    FOLLOWED: _("Remote sphere followed"),
    UNFOLLOWED: _("Remote sphere no longer followed"),
    RATIFICATION_SENT: _("Decision on a remote declaration sent"),
}
