"""The HTTP API: its OpenAPI document, token authentication, and one error shape everywhere."""

import json

import pytest

from comuna.accounts.services import do_create_api_token, do_issue_codes
from comuna.spheres.models import Function
from comuna.spheres.services import do_set_competence


def error_of(response):
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    return body


def test_openapi_document_and_docs_page(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Comuna API"
    assert "/api/v1/spheres/route" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower(), "Swagger UI must be served locally"


def test_spheres_list_and_detail(client, tree):
    slugs = [s["slug"] for s in client.get("/api/v1/spheres/").json()]
    assert {"region", "city", "hood", "net"} <= set(slugs)
    city = client.get("/api/v1/spheres/city").json()
    assert city["ancestors"] == ["region", "metro"] and city["networks"] == ["net"]
    assert city["names"] == {"en": "City", "fr": "Ville", "es": "Ciudad"}
    french = client.get("/api/v1/spheres/city", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["name"] == "Ville"


def test_route_endpoint(client, tree):
    do_set_competence(tree["metro"], Function.objects.get(pk="05"), "shared")
    body = client.get("/api/v1/spheres/route", {"function": "05.1", "origin": "hood"}).json()
    assert body["competent_sphere"] == "metro"
    assert body["passed_over"] == ["hood", "district", "city"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/spheres/route?function=99&origin=hood", 400, "unknown_function"),
        ("/api/v1/spheres/route?function=05&origin=nowhere", 400, "unknown_sphere"),
        ("/api/v1/spheres/route?origin=hood", 422, "invalid_request"),
        ("/api/v1/spheres/nowhere", 404, "not_found"),
        ("/api/v1/accounts/me", 401, "not_authenticated"),
    ],
)
def test_errors_have_one_shape(client, tree, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_token_authentication(client, people, tree):
    _, token = do_create_api_token(people["resident"], "my script")
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["residencies"] == [{"sphere": "hood", "method": "manual"}]
    bad = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cmn_wrong")
    assert bad.status_code == 401 and error_of(bad)["code"] == "not_authenticated"


def test_redeem_code_over_the_api(client, people, tree):
    [code] = do_issue_codes(tree["town"], 1, actor=make_official(tree["town"]))
    _, token = do_create_api_token(people["newcomer"], "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = client.post("/api/v1/accounts/me/residency/code", json.dumps({"code": code}),
                        content_type="application/json", **auth)
    assert first.status_code == 201 and first.json() == {"sphere": "town", "method": "code"}
    again = client.post("/api/v1/accounts/me/residency/code", json.dumps({"code": code}),
                        content_type="application/json", **auth)
    assert again.status_code == 409 and error_of(again)["code"] == "code_used"
    malformed = client.post("/api/v1/accounts/me/residency/code", "{not json",
                            content_type="application/json", **auth)
    assert malformed.status_code in (400, 422) and "code" in error_of(malformed)


def make_official(sphere):
    from conftest import make_person

    return make_person(f"official-{sphere.slug}@example.org", roles=[(sphere, "official")], mfa=True)


def test_grant_role_permission_over_the_api(client, people, tree):
    _, token = do_create_api_token(people["official"], "desk")
    response = client.post("/api/v1/accounts/spheres/city/roles",
                           json.dumps({"email": "newcomer@example.org", "role": "admin"}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_session_writes_need_csrf(people, tree):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["admin"], backend="django.contrib.auth.backends.ModelBackend")
    response = browser.put("/api/v1/spheres/city/competences", json.dumps({"function": "08", "kind": "shared"}),
                           content_type="application/json")
    assert response.status_code in (401, 403)
    assert not tree["city"].competences.exists()


def test_set_competence_over_the_api(client, people, tree):
    _, token = do_create_api_token(people["admin"], "desk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    ok = client.put("/api/v1/spheres/city/competences", json.dumps({"function": "08", "kind": "shared"}),
                    content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["kind"] == "shared"
    bad = client.put("/api/v1/spheres/city/competences", json.dumps({"function": "08", "kind": "sometimes"}),
                     content_type="application/json", **auth)
    assert bad.status_code == 400 and error_of(bad)["code"] == "bad_competence_kind"
    assert tree["city"].competences.get().kind == "shared"
