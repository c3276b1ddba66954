"""Walk every page and API route as anonymous, resident and admin: never a server error."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from comuna.api.urls import api

SAMPLE_VALUES = {"slug": "city", "token_id": "1", "key": "x", "uidb36": "1", "pk": "1", "id": "1", "function": "05",
                 "provider": "x", "code": "x"}


def page_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if route.startswith("^") or "(?P" in route:  # regular-expression routes: fill the named groups
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_VALUES.get(m.group(1), "x"), route)
            route = route.lstrip("^").rstrip("$").replace("\\", "")
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "x"), route)
        if isinstance(entry, URLResolver):
            if "api/v1" in route:
                continue  # the API is walked from its OpenAPI document below
            yield from page_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def api_routes():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), "x"), path)
        for method in operations:
            yield method, concrete


@pytest.fixture(params=["anonymous", "resident", "admin"])
def visitor(request, client, people):
    if request.param != "anonymous":
        client.force_login(people[request.param], backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_routes_are_found():
    routes = list(page_routes())
    assert "/spheres/city/" in routes and "/accounts/login/" in routes and len(routes) > 20
    assert ("get", "/api/v1/spheres/city") in list(api_routes())


def test_no_page_answers_with_a_server_error(visitor, tree):
    for route in page_routes():
        for method in ("get", "post"):
            response = getattr(visitor, method)(route)
            assert response.status_code < 500, (method, route, response.status_code)


def test_no_api_route_answers_with_a_server_error(visitor, tree):
    for method, route in api_routes():
        for body in ("", "{}", "[1,2]", '{"code": 5, "email": [], "role": null}'):
            response = getattr(visitor, method)(route, body, content_type="application/json") if method != "get" \
                else visitor.get(route)
            assert response.status_code < 500, (method, route, body, response.status_code)
            if route.startswith("/api/") and response.status_code >= 400:
                assert set(response.json()) == {"code", "message", "details"}, (route, response.content)


def test_the_stylesheet_is_served(client, db):
    response = client.get("/static/comuna/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)
