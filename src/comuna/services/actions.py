"""Audit action names of public services (their labels are merged into comuna.audit.actions later)."""

from django.utils.translation import gettext_lazy as _

SERVICE_CREATED = "services.service_created"
SERVICE_QUESTION_ADDED = "services.service_question_added"
SERVICE_EDITED = "services.service_edited"
SERVICE_SWITCHED_OFF = "services.service_switched_off"
SERVICE_REOPENED = "services.service_reopened"
SERVICE_QUESTION_EDITED = "services.service_question_edited"
SERVICE_QUESTION_REMOVED = "services.service_question_removed"
REQUEST_SUBMITTED = "services.request_submitted"
REQUEST_ASSIGNED = "services.request_assigned"
REQUEST_UPDATED = "services.request_updated"
REQUEST_CLOSED = "services.request_closed"
API_KEY_ISSUED = "services.api_key_issued"
API_KEY_REVOKED = "services.api_key_revoked"

ACTIONS = {
    SERVICE_CREATED: _("Public service added to the catalogue"),
    SERVICE_QUESTION_ADDED: _("Question added to a public service"),
    SERVICE_EDITED: _("Public service edited"),
    SERVICE_SWITCHED_OFF: _("Public service switched off"),
    SERVICE_REOPENED: _("Public service open to requests again"),
    SERVICE_QUESTION_EDITED: _("Question of a public service edited"),
    SERVICE_QUESTION_REMOVED: _("Question removed from a public service"),
    REQUEST_SUBMITTED: _("Service request submitted"),
    REQUEST_ASSIGNED: _("Service request assigned"),
    REQUEST_UPDATED: _("Service request updated"),
    REQUEST_CLOSED: _("Service request closed"),
    API_KEY_ISSUED: _("Open311 API key issued"),
    API_KEY_REVOKED: _("Open311 API key revoked"),
}
