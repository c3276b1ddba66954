"""Audit action names of public services (their labels are merged into comuna.audit.actions later)."""

from django.utils.translation import gettext_lazy as _

SERVICE_CREATED = "services.service_created"
SERVICE_QUESTION_ADDED = "services.service_question_added"
REQUEST_SUBMITTED = "services.request_submitted"
REQUEST_ASSIGNED = "services.request_assigned"
REQUEST_UPDATED = "services.request_updated"
REQUEST_CLOSED = "services.request_closed"
API_KEY_ISSUED = "services.api_key_issued"
API_KEY_REVOKED = "services.api_key_revoked"

ACTIONS = {
    SERVICE_CREATED: _("Public service added to the catalogue"),
    SERVICE_QUESTION_ADDED: _("Question added to a public service"),
    REQUEST_SUBMITTED: _("Service request submitted"),
    REQUEST_ASSIGNED: _("Service request assigned"),
    REQUEST_UPDATED: _("Service request updated"),
    REQUEST_CLOSED: _("Service request closed"),
    API_KEY_ISSUED: _("Open311 API key issued"),
    API_KEY_REVOKED: _("Open311 API key revoked"),
}
