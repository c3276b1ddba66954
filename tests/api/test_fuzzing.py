"""Schemathesis against /api/v1/openapi.json, in-process on the WSGI app: no server error, and every answer is one
the document declares (status code, content type, body schema), for anonymous and signed-in callers.

Bounded and repeatable: a fixed number of examples per operation, derandomized, no deadline.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 5


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_database_open():
    """The WSGI handler closes the connection after each request (Django's test client does not): keep it open,
    as the test client does, so requests run inside the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(people):
    """Bearer tokens of a resident and of an official of the test city (with MFA)."""
    from comuna.accounts.services import do_create_api_token

    return {role: do_create_api_token(people[role], "fuzz")[1] for role in ("resident", "official")}


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_anonymous_callers_get_documented_answers(case, tokens):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_signed_in_callers_get_documented_answers(case, tokens):
    # A real sphere where the path names one, so generated bodies reach the permission and domain checks.
    for name in set(case.path_parameters or {}) & {"slug", "sphere"}:
        case.path_parameters[name] = "city"
    for role in ("resident", "official"):
        case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS)
