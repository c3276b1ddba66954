"""Managing the tree over the API: create, move, competences — with permissions and precise refusals."""

import json

import pytest

from comuna.accounts.services import do_create_api_token
from comuna.audit.models import Event
from comuna.spheres.models import Sphere


@pytest.fixture
def admin_api(client, people):
    _, token = do_create_api_token(people["admin"], "desk")

    def call(method, url, payload):
        return getattr(client, method)(url, json.dumps(payload), content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {token}")

    return call


def test_admin_creates_a_sub_sphere(admin_api, tree):
    response = admin_api("post", "/api/v1/spheres/", {"slug": "new-hood", "kind": "neighbourhood",
                                                     "name_en": "New Hood", "parent": "district"})
    assert response.status_code == 201, response.content
    sphere = Sphere.objects.get(slug="new-hood")
    assert sphere.ancestor_ids()[-1] == tree["district"].pk
    assert Event.objects.filter(action="sphere.created", sphere=sphere).count() == 1


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"slug": "x2", "kind": "neighbourhood", "name_en": "X", "parent": "town"}, 403, "forbidden"),
    ({"slug": "x2", "kind": "neighbourhood", "name_en": "X"}, 403, "forbidden"),
    ({"slug": "x2", "kind": "planet", "name_en": "X", "parent": "city"}, 400, "unknown_kind"),
    ({"slug": "hood", "kind": "neighbourhood", "name_en": "X", "parent": "city"}, 400, "slug_taken"),
    ({"slug": "x2", "kind": "region", "name_en": "X", "parent": "city"}, 400, "parent_not_wider"),
    ({"slug": "Bad Slug!", "kind": "district", "name_en": "X", "parent": "city"}, 422, "invalid_request"),
    ({"slug": "x2", "kind": "district", "name_en": "X", "parent": "atlantis"}, 400, "unknown_sphere"),
])
def test_bad_creations_are_refused_and_change_nothing(admin_api, tree, payload, status, code):
    count, events = Sphere.objects.count(), Event.objects.count()
    response = admin_api("post", "/api/v1/spheres/", payload)
    assert response.status_code == status and response.json()["code"] == code
    assert (Sphere.objects.count(), Event.objects.count()) == (count, events)


def test_a_sphere_made_its_own_ancestor_is_refused(admin_api, tree):
    response = admin_api("put", "/api/v1/spheres/city/parent", {"parent": "hood"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "cycle" and "own ancestor" in body["message"]
    assert Sphere.objects.get(slug="city").parent_id == tree["metro"].pk


def test_moving_needs_admin_rights_on_both_ends(admin_api, tree):
    response = admin_api("put", "/api/v1/spheres/district/parent", {"parent": "town"})
    assert response.status_code == 403
    assert Sphere.objects.get(slug="district").parent_id == tree["city"].pk


def test_remove_competence(admin_api, tree):
    assert admin_api("put", "/api/v1/spheres/city/competences", {"function": "08", "kind": "shared"}).status_code == 200
    response = admin_api("delete", "/api/v1/spheres/city/competences/08", {})
    assert response.status_code == 204
    assert not tree["city"].competences.exists()


def test_desk_declares_a_competence_in_spanish(signed_in, people, tree):
    client = signed_in(people["admin"])
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.post("/spheres/city/manage/", {"action": "competence", "function": "08", "kind": "exclusive"},
                       follow=True).content.decode()
    assert "Competencia declarada" in page
    assert tree["city"].competences.get().kind == "exclusive"
    refused = client.post("/spheres/district/manage/", {"action": "competence", "function": "08.1", "kind": "shared"},
                          follow=True).content.decode()
    assert "Ciudad tiene esta competencia en exclusiva" in refused
    assert not tree["district"].competences.exists()
