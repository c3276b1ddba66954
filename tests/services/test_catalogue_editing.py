"""Staff edit services and their questions, switch services off, and name them in three languages; Open311
clients see the change in their own language, in the specification's shapes."""

import pytest

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.services.models import Service, ServiceRequest
from comuna.services.services import (
    Report,
    do_edit_attribute,
    do_edit_service,
    do_remove_attribute,
    do_set_service_active,
    do_submit_request,
)

BASE = "/open311/v2"


def test_an_admin_edits_a_service_in_three_languages_and_open311_speaks_the_clients_language(
        signed_in, people, catalogue, client, valid):
    admin = signed_in(people["admin"])
    form = admin.get("/spheres/city/services/pothole/edit/").content.decode()
    assert 'value="Pothole"' in form and "Its code, pothole, stays" in form
    response = admin.post("/spheres/city/services/pothole/edit/", {
        "name_en": "Hole in the road", "name_fr": "Nid-de-poule", "name_es": "", "description": "Any hole.",
        "group": "Roads", "keywords": "hole, road", "type": "batch", "expected_days": "10"})
    assert response.status_code == 302
    pothole = Service.objects.get(service_code="pothole")
    assert (pothole.name_en, pothole.name_fr, pothole.group, pothole.type, pothole.expected_days) == (
        "Hole in the road", "Nid-de-poule", "Roads", "batch", 10)
    event = Event.objects.get(action="services.service_edited")
    assert {"name_en", "name_fr", "group", "type", "keywords", "description", "expected_days"} <= set(
        event.data["changed"])
    french = valid("services", client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="fr").json())
    assert {s["service_code"]: s["service_name"] for s in french}["pothole"] == "Nid-de-poule"
    spanish = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="es").json()
    assert {s["service_code"]: s["service_name"] for s in spanish}["pothole"] == "Hole in the road"  # English
    english = {s["service_code"]: s for s in client.get(f"{BASE}/services.json").json()}
    assert english["pothole"]["service_name"] == "Hole in the road" and english["pothole"]["type"] == "batch"
    assert english["pothole"]["group"] == "Roads" and english["pothole"]["keywords"] == "hole, road"
    assert "Nid-de-poule" in client.get("/spheres/city/services/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_bad_edits_are_refused_and_change_nothing(signed_in, people, catalogue):
    admin = signed_in(people["admin"])
    response = admin.post("/spheres/city/services/pothole/edit/", {"name_en": "", "type": "realtime"})
    assert response.status_code == 400
    with pytest.raises(DomainError, match="A service needs a name in English"):
        do_edit_service(people["admin"], catalogue["pothole"], name_en="  ")
    with pytest.raises(DomainError, match="The type must be realtime, batch or blackbox"):
        do_edit_service(people["admin"], catalogue["pothole"], type="weekly")
    with pytest.raises(DomainError, match="cannot be changed: service_code"):
        do_edit_service(people["admin"], catalogue["pothole"], service_code="hole")
    with pytest.raises(NotAllowed):
        do_edit_service(people["official"], catalogue["pothole"], name_en="Hole")
    assert signed_in(people["official"]).get("/spheres/city/services/pothole/edit/").status_code == 404
    assert Service.objects.get(service_code="pothole").name_en == "Pothole"
    assert not Event.objects.filter(action="services.service_edited").exists()


def test_a_switched_off_service_leaves_the_list_refuses_requests_and_keeps_its_requests_readable(
        signed_in, people, submitted, api_key, client, valid):
    pothole = Service.objects.get(service_code="pothole")
    old_request = ServiceRequest.objects.filter(service=pothole).first()
    admin = signed_in(people["admin"])
    admin.post("/spheres/city/services/pothole/active/", {"active": "0"})
    assert not Service.objects.get(service_code="pothole").active
    assert Event.objects.filter(action="services.service_switched_off").count() == 1
    codes = [s["service_code"] for s in valid("services", client.get(f"{BASE}/services.json").json())]
    assert "pothole" not in codes and "lighting" in codes
    response = client.post(f"{BASE}/requests.json", {"api_key": api_key, "jurisdiction_id": "city",
                                                     "service_code": "pothole", "lat": "43.6", "long": "1.44"})
    assert response.status_code == 409
    assert response.json() == [{"code": 409, "description": "Service pothole no longer takes new requests."}]
    xml = client.post(f"{BASE}/requests.xml", {"api_key": api_key, "jurisdiction_id": "city",
                                               "service_code": "pothole", "lat": "43.6", "long": "1.44"})
    assert xml.status_code == 409 and b"<errors><error><code>409</code>" in xml.content
    assert ServiceRequest.objects.filter(service=pothole).count() == 1
    readable = client.get(f"{BASE}/requests/{old_request.pk}.json").json()
    assert readable[0]["service_code"] == "pothole"
    assert str(old_request.pk) in [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    catalogue_page = admin.get("/spheres/city/services/").content.decode()
    assert "Switched off: takes no new requests." in catalogue_page
    client.logout()
    signed_in(people["resident"])
    public = client.get("/spheres/city/services/").content.decode()
    assert "Pothole" not in public
    closed = client.get("/spheres/city/services/pothole/report/")
    assert closed.status_code == 404 and "no longer takes new requests" in closed.content.decode()
    with pytest.raises(Conflict, match="already switched off"):
        do_set_service_active(people["admin"], Service.objects.get(service_code="pothole"), False)
    do_set_service_active(people["admin"], Service.objects.get(service_code="pothole"), True)
    assert "pothole" in [s["service_code"] for s in client.get(f"{BASE}/services.json").json()]


def test_questions_are_edited_and_choices_in_use_are_kept(signed_in, people, catalogue, submitted, client):
    pothole = catalogue["pothole"]
    size = pothole.attributes.get(code="size")  # a request answered "large"
    admin = signed_in(people["admin"])
    form = admin.get(f"/spheres/city/services/pothole/questions/{size.pk}/").content.decode()
    assert "small: Small" in form
    refused = admin.post(f"/spheres/city/services/pothole/questions/{size.pk}/", {
        "description": "How big?", "choices": "small: Small"})
    assert refused.status_code == 409 and "Requests already chose large" in refused.content.decode()
    assert pothole.attributes.get(code="size").values == [{"key": "small", "name": "Small"},
                                                          {"key": "large", "name": "Large"}]
    admin.post(f"/spheres/city/services/pothole/questions/{size.pk}/", {
        "description": "How big is the hole?", "required": "on", "datatype_description": "Compare with a tyre",
        "choices": "small: Smaller than a hand\nlarge: Bigger than a tyre\nhuge: A car could fall in"})
    size.refresh_from_db()
    assert size.description == "How big is the hole?" and size.required
    assert [value["key"] for value in size.values] == ["small", "large", "huge"]
    definition = client.get(f"{BASE}/services/pothole.json", {"jurisdiction_id": "city"}).json()
    assert definition["attributes"][0]["description"] == "How big is the hole?"
    assert definition["attributes"][0]["required"] is True
    assert Event.objects.filter(action="services.service_question_edited").count() == 1
    with pytest.raises(DomainError, match="Only list questions take choices"):
        do_edit_attribute(people["admin"], catalogue["bulky"].attributes.get(code="items"), description="What?",
                          choices="a")


def test_an_unanswered_question_is_removed_and_an_answered_one_is_kept(signed_in, people, catalogue, submitted):
    bulky = catalogue["bulky"]
    do_submit_request(bulky, Report(address="Rue Alsace", attributes={"volume_m3": ["2"], "items": ["A sofa"]}))
    admin = signed_in(people["admin"])
    page = admin.get("/spheres/city/services/bulky/questions/").content.decode()
    assert "Remove floor" in page and "Edit floor" in page
    floor = bulky.attributes.get(code="floor")
    admin.post(f"/spheres/city/services/bulky/questions/{floor.pk}/remove/")
    assert not bulky.attributes.filter(code="floor").exists()
    assert Event.objects.get(action="services.service_question_removed").data == {"code": "floor"}
    items = bulky.attributes.get(code="items")
    page = admin.post(f"/spheres/city/services/bulky/questions/{items.pk}/remove/", follow=True).content.decode()
    assert "1 request(s) already answered the question items" in page
    assert bulky.attributes.filter(code="items").exists()
    with pytest.raises(NotAllowed):
        do_remove_attribute(people["official"], items)
