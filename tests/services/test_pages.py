"""The pages: residents report a problem and follow it, officials triage it, admins issue Open311 keys, and
nobody but the sphere's staff sees who reported what."""

from __future__ import annotations

from comuna.audit.models import Event
from comuna.services.models import ApiKey, RequestNote, ServiceRequest


def test_catalogue_lists_the_services_with_report_links(client, catalogue):
    page = client.get("/spheres/city/services/").content.decode()
    assert "Pothole" in page and "Bulky waste collection" in page
    assert "/spheres/city/services/bulky/report/" in page
    assert "Triage desk" not in page


def test_reporting_needs_an_account(client, catalogue):
    response = client.get("/spheres/city/services/pothole/report/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_resident_reports_a_problem_and_follows_it(signed_in, people, catalogue):
    client = signed_in(people["resident"])
    form = client.get("/spheres/city/services/bulky/report/").content.decode()
    assert "How many cubic metres?" in form and 'name="attribute_volume_m3"' in form
    response = client.post("/spheres/city/services/bulky/report/", {
        "description": "An old sofa", "address": "3 rue du Taur", "attribute_volume_m3": "1.5",
        "attribute_items": "A sofa", "attribute_floor": ["street"]})
    item = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/services/requests/{item.pk}/"
    assert (item.author, item.attributes, item.token is not None) == (
        people["resident"], {"volume_m3": "1.5", "items": "A sofa", "floor": ["street"]}, True)
    mine = client.get("/services/mine/").content.decode()
    assert "Bulky waste collection" in mine and "Open" in mine
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "A sofa" in detail and "Street" in detail and "Triage" not in detail


def test_a_report_without_a_place_or_with_a_wrong_answer_changes_nothing(signed_in, people, catalogue):
    client = signed_in(people["resident"])
    response = client.post("/spheres/city/services/pothole/report/", {"description": "Somewhere"})
    assert response.status_code == 200
    assert "Give a location" in response.content.decode()
    response = client.post("/spheres/city/services/bulky/report/", {"address": "x", "attribute_items": "A sofa",
                                                                     "attribute_volume_m3": "lots"})
    assert "attribute[volume_m3] must be a number" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_a_photo_from_the_form_is_checked(signed_in, people, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(people["resident"])
    response = client.post("/spheres/city/services/pothole/report/", {
        "address": "Rue de Metz", "photo": SimpleUploadedFile("hole.png", b"not an image", "image/png")})
    assert "not a readable image" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_the_desk_is_for_the_sphere_officials(client, signed_in, people, submitted):
    assert client.get("/spheres/city/services/desk/").status_code == 302
    assert signed_in(people["resident"]).get("/spheres/city/services/desk/").status_code == 404
    assert signed_in(people["moderator"]).get("/spheres/city/services/desk/").status_code == 404
    page = signed_in(people["official"]).get("/spheres/city/services/desk/").content.decode()
    assert "Rue de Metz" in page and "Allées Jean Jaurès" in page


def test_triage_flow(signed_in, people, submitted):
    item = submitted[0]
    official = signed_in(people["official"])
    official.post(f"/services/requests/{item.pk}/assign/", {"assignee": people["admin"].pk,
                                                             "note": "Admin knows this street"})
    item.refresh_from_db()
    assert item.assigned_to == people["admin"]
    # Someone who is not staff cannot be given the request.
    official.post(f"/services/requests/{item.pk}/assign/", {"assignee": people["resident"].pk})
    item.refresh_from_db()
    assert item.assigned_to == people["admin"]
    official.post(f"/services/requests/{item.pk}/update/", {"status": "open", "note": "Cones in place",
                                                             "internal": ""})
    official.post(f"/services/requests/{item.pk}/update/", {"status": "open", "note": "Contractor is slow",
                                                             "internal": "on"})
    page = official.post(f"/services/requests/{item.pk}/update/", {"status": "closed", "note": ""},
                         follow=True).content.decode()
    assert "Say to the resident why the request is closed" in page
    item.refresh_from_db()
    assert (item.status, item.status_notes) == ("open", "Cones in place")
    official.post(f"/services/requests/{item.pk}/update/", {"status": "closed", "note": "Repaired on Monday"})
    item.refresh_from_db()
    assert (item.status, item.status_notes) == ("closed", "Repaired on Monday")
    assert list(RequestNote.objects.filter(request=item).values_list("text", flat=True)) == [
        "Admin knows this street", "Cones in place", "Contractor is slow", "Repaired on Monday"]
    actions = list(Event.objects.filter(target_id=str(item.pk), target_type="public_services.servicerequest")
                   .order_by("sequence").values_list("action", flat=True))
    assert actions == ["services.request_submitted", "services.request_assigned", "services.request_updated",
                       "services.request_updated", "services.request_closed"]
    resident_view = signed_in(people["resident"]).get(item.get_absolute_url()).content.decode()
    assert "Repaired on Monday" in resident_view and "Cones in place" in resident_view
    assert "Contractor is slow" not in resident_view and "Admin knows this street" not in resident_view


def test_residents_cannot_triage(signed_in, people, submitted):
    item = submitted[0]
    before = Event.objects.count()
    client = signed_in(people["resident"])
    response = client.post(f"/services/requests/{item.pk}/update/", {"status": "closed", "note": "Done!"},
                           follow=True)
    assert "Only the sphere&#x27;s officials can triage requests." in response.content.decode()
    client.post(f"/services/requests/{item.pk}/assign/", {"assignee": ""})
    item.refresh_from_db()
    assert item.status == "open" and Event.objects.count() == before


def test_anonymous_visitors_never_see_personal_data(client, submitted, personal, signed_in, people):
    pages = ["/spheres/city/services/", submitted[0].get_absolute_url(), submitted[1].get_absolute_url(),
             "/open311/v2/requests.json", "/open311/v2/requests.xml", f"/open311/v2/requests/{submitted[0].pk}.json",
             f"/open311/v2/requests/{submitted[0].pk}.xml"]
    for path in pages:
        text = client.get(path).content.decode()
        for secret in personal:
            assert secret not in text, (path, secret)
    outsider = signed_in(people["outsider"])
    assert "secret-reporter@example.org" not in outsider.get(submitted[0].get_absolute_url()).content.decode()
    staff_view = signed_in(people["official"]).get(submitted[0].get_absolute_url()).content.decode()
    assert "secret-reporter@example.org" in staff_view and "Secretname" in staff_view


def test_admin_issues_a_key_shown_once_and_stored_hashed(signed_in, people, tree):
    assert signed_in(people["official"]).get("/spheres/city/services/keys/").status_code == 404
    admin = signed_in(people["admin"])
    page = admin.post("/spheres/city/services/keys/", {"name": "FixMyStreet"}).content.decode()
    key = ApiKey.objects.get()
    raw = page.split("<code>")[1].split("</code>")[0]
    assert len(raw) >= 40 and raw.startswith(key.prefix) and key.digest != raw
    assert raw not in admin.get("/spheres/city/services/keys/").content.decode()
    assert not ApiKey.objects.filter(digest=raw).exists()
    admin.post(f"/services/keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert list(Event.objects.filter(target_type="public_services.apikey").values_list("action", flat=True)) == [
        "services.api_key_issued", "services.api_key_revoked"]


def test_admin_adds_a_service_and_its_questions(signed_in, people, tree, client):
    from comuna.services.models import Service

    assert signed_in(people["official"]).get("/spheres/city/services/new/").status_code == 404
    admin = signed_in(people["admin"])
    response = admin.post("/spheres/city/services/new/", {
        "service_code": "trees", "name_en": "Fallen tree", "type": "realtime", "group": "Parks"})
    assert response["Location"] == "/spheres/city/services/trees/questions/"
    admin.post("/spheres/city/services/trees/questions/", {
        "code": "blocking", "description": "Does it block the way?", "datatype": "singlevaluelist",
        "required": "on", "choices": "yes: Yes, nobody can pass\nno: No"})
    page = admin.post("/spheres/city/services/trees/questions/", {
        "code": "kind", "description": "Which tree?", "datatype": "singlevaluelist",
        "choices": "oak: Oak\nplane tree: Plane tree"}, follow=True).content.decode()
    assert "Line 2: the key must be a short word" in page
    page = admin.post("/spheres/city/services/trees/questions/", {
        "code": "kind", "description": "Which tree?", "datatype": "string", "choices": "oak"},
        follow=True).content.decode()
    assert "Only list questions take choices." in page
    service = Service.objects.get(service_code="trees")
    assert [(a.code, a.required, a.values) for a in service.attributes.all()] == [
        ("blocking", True, [{"key": "yes", "name": "Yes, nobody can pass"}, {"key": "no", "name": "No"}])]
    definition = client.get("/open311/v2/services/trees.json", {"jurisdiction_id": "city"}).json()
    assert definition["attributes"][0]["values"] == [{"key": "yes", "name": "Yes, nobody can pass"},
                                                     {"key": "no", "name": "No"}]
    taken = admin.post("/spheres/city/services/new/", {"service_code": "trees", "name_en": "Again", "type": "realtime"},
                       follow=True).content.decode()
    assert "The service code trees is already used." in taken
    assert Service.objects.count() == 1
    assert list(Event.objects.filter(target_type="public_services.service").values_list("action", flat=True)) == [
        "services.service_created", "services.service_question_added"]
