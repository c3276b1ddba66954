"""Audit action names of this app (the lead engineer merges the labels into comuna.audit.actions)."""

from django.utils.translation import gettext_lazy as _

IDENTIFIER_SET = "cooperation.identifier_set"
PARTNERSHIP_CREATED = "cooperation.partnership_created"
PROJECT_CREATED = "cooperation.project_created"
TRANSACTION_ADDED = "cooperation.transaction_added"
RESULT_ADDED = "cooperation.result_added"
IATI_IMPORTED = "cooperation.iati_imported"

ACTIONS = {
    IDENTIFIER_SET: _("IATI organisation identifier set"),
    PARTNERSHIP_CREATED: _("Cooperation partnership created"),
    PROJECT_CREATED: _("Cooperation project created"),
    TRANSACTION_ADDED: _("Cooperation transaction recorded"),
    RESULT_ADDED: _("Cooperation result recorded"),
    IATI_IMPORTED: _("IATI activities imported"),
}
