"""Audit action names of this app (the lead engineer merges the labels into comuna.audit.actions)."""

from django.utils.translation import gettext_lazy as _

IDENTIFIER_SET = "cooperation.identifier_set"
PARTNERSHIP_CREATED = "cooperation.partnership_created"
PROJECT_CREATED = "cooperation.project_created"
TRANSACTION_ADDED = "cooperation.transaction_added"
RESULT_ADDED = "cooperation.result_added"
IATI_IMPORTED = "cooperation.iati_imported"
PARTNERSHIP_EDITED = "cooperation.partnership_edited"
PROJECT_EDITED = "cooperation.project_edited"
BUDGET_ADDED = "cooperation.budget_added"
BUDGET_REMOVED = "cooperation.budget_removed"
DOCUMENT_ADDED = "cooperation.document_added"
DOCUMENT_REMOVED = "cooperation.document_removed"
PLACE_ADDED = "cooperation.place_added"
PLACE_REMOVED = "cooperation.place_removed"

ACTIONS = {
    IDENTIFIER_SET: _("IATI organisation identifier set"),
    PARTNERSHIP_CREATED: _("Cooperation partnership created"),
    PROJECT_CREATED: _("Cooperation project created"),
    TRANSACTION_ADDED: _("Cooperation transaction recorded"),
    RESULT_ADDED: _("Cooperation result recorded"),
    IATI_IMPORTED: _("IATI activities imported"),
    PARTNERSHIP_EDITED: _("Cooperation partnership edited"),
    PROJECT_EDITED: _("Cooperation project edited"),
    BUDGET_ADDED: _("Cooperation project budget added"),
    BUDGET_REMOVED: _("Cooperation project budget removed"),
    DOCUMENT_ADDED: _("Cooperation project document added"),
    DOCUMENT_REMOVED: _("Cooperation project document removed"),
    PLACE_ADDED: _("Cooperation project place added"),
    PLACE_REMOVED: _("Cooperation project place removed"),
}
