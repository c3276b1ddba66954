"""Audit action names of conversations, tensions and mediation (labels merged into comuna.audit.actions later)."""

from django.utils.translation import gettext_lazy as _

CONVERSATION_OPENED = "conversations.opened"
CONVERSATION_CLOSED = "conversations.closed"
CONVERSATION_IMPORTED = "conversations.imported"
STATEMENT_ADDED = "conversations.statement_added"
STATEMENT_MODERATED = "conversations.statement_moderated"
TENSION_REPORTED = "conversations.tension_reported"
TENSION_TRIAGED = "conversations.tension_triaged"
CASE_OPENED = "conversations.case_opened"
CASE_CLOSED = "conversations.case_closed"
SESSION_HELD = "conversations.session_recorded"
AGREEMENT_RECORDED = "conversations.agreement_recorded"
AGREEMENT_FOLLOWED_UP = "conversations.agreement_followed_up"

ACTIONS = {
    CONVERSATION_OPENED: _("Conversation opened"),
    CONVERSATION_CLOSED: _("Conversation closed"),
    CONVERSATION_IMPORTED: _("Pol.is export imported into a conversation"),
    STATEMENT_ADDED: _("Statement added to a conversation"),
    STATEMENT_MODERATED: _("Statement moderated"),
    TENSION_REPORTED: _("Local tension reported"),
    TENSION_TRIAGED: _("Tension report triaged"),
    CASE_OPENED: _("Mediation case opened"),
    CASE_CLOSED: _("Mediation case closed"),
    SESSION_HELD: _("Dialogue session recorded"),
    AGREEMENT_RECORDED: _("Agreement recorded"),
    AGREEMENT_FOLLOWED_UP: _("Agreement followed up"),
}
