"""Audit action names of local finance (their labels are merged into comuna.audit.actions later)."""

from django.utils.translation import gettext_lazy as _

BUDGET_IMPORTED = "finance.budget_imported"
BUDGET_REPLACED = "finance.budget_replaced"
PROJECT_LINKED = "finance.project_linked"
PROJECT_UNLINKED = "finance.project_unlinked"

ACTIONS = {
    BUDGET_IMPORTED: _("Budget imported"),
    BUDGET_REPLACED: _("Budget lines replaced by a new import"),
    PROJECT_LINKED: _("Participatory-budget project linked to a budget line"),
    PROJECT_UNLINKED: _("Participatory-budget project unlinked from a budget line"),
}
