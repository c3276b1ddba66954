"""The Open311 GeoReport v2 API: every response validates against the open311 JSON Schemas, XML has the
specification's element names, POSTs need a key, bad input is answered in the spec's error format and changes
nothing, and requesters' personal data never leaves the staff's pages."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from comuna.audit.models import Event
from comuna.services.models import ServiceRequest

BASE = "/open311/v2"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)


def assert_errors(response, status: int, *words: str):
    """The spec's error format: a list of {code, description}, the code matching the HTTP status."""
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(error) == {"code", "description"} and error["code"] == status for error in body)
    text = " ".join(error["description"] for error in body)
    for word in words:
        assert word in text, text
    return body


def nothing_written(before_requests: int, before_events: int):
    assert ServiceRequest.objects.count() == before_requests
    assert Event.objects.count() == before_events


# --- Discovery and services --------------------------------------------------------------------------------------

def test_discovery_names_the_endpoint_and_its_formats(client, catalogue):
    data = client.get(f"{BASE}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_service_list_validates_and_defaults_to_the_first_sphere_with_services(client, catalogue, valid):
    response = client.get(f"{BASE}/services.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = valid("services", response.json())
    for service in services:
        valid("service", service)
        assert list(service) == SERVICE_FIELDS
    by_code = {s["service_code"]: s for s in services}
    assert set(by_code) == {"pothole", "lighting", "bulky"}  # the town's service is in another jurisdiction
    assert by_code["pothole"]["metadata"] is True and by_code["lighting"]["metadata"] is False
    assert by_code["bulky"]["type"] == "batch"
    assert by_code["lighting"]["description"] is None
    town = client.get(f"{BASE}/services.json", {"jurisdiction_id": "town"}).json()
    assert [s["service_code"] for s in town] == ["town-graffiti"]


def test_service_list_xml_has_the_spec_element_names(client, catalogue):
    root = xml_of(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "city"}))
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    pothole = next(s for s in root if s.findtext("service_code") == "pothole")
    assert [child.tag for child in pothole] == SERVICE_FIELDS
    assert pothole.findtext("metadata") == "true" and pothole.findtext("type") == "realtime"


def test_service_definition_json_and_xml(client, catalogue, valid):
    data = valid("service-definition", client.get(f"{BASE}/services/bulky.json").json())
    assert [a["code"] for a in data["attributes"]] == ["volume_m3", "items", "floor"]
    assert data["attributes"][0] == {"variable": True, "code": "volume_m3", "datatype": "number", "required": True,
                                     "datatype_description": None, "order": 1,
                                     "description": "How many cubic metres?", "values": []}
    root = xml_of(client.get(f"{BASE}/services/pothole.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "pothole"
    attribute = root.find("attributes/attribute")
    assert [c.tag for c in attribute] == ["variable", "code", "datatype", "required", "datatype_description",
                                          "order", "description", "values"]
    assert [(v.findtext("key"), v.findtext("name")) for v in attribute.find("values")] == [
        ("small", "Small"), ("large", "Large")]


@pytest.mark.parametrize("path, status, words", [
    ("/services.json?jurisdiction_id=nowhere", 404, ["jurisdiction_id nowhere"]),
    ("/services/nothing.json", 404, ["service_code nothing"]),
    ("/services/town-graffiti.json?jurisdiction_id=city", 404, ["town-graffiti"]),
    ("/services.yaml", 404, ["yaml"]),
    ("/requests/999999.json", 404, ["not found"]),
    ("/requests/abc.json", 404, ["not found"]),
    ("/tokens/nope.json", 404, ["not found"]),
    ("/requests.json?status=pending", 400, ["status"]),
    ("/requests.json?start_date=yesterday", 400, ["start_date", "time zone"]),
    ("/requests.json?start_date=2026-01-01T00:00:00", 400, ["start_date"]),
    ("/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400, ["90 days"]),
    ("/requests.json?service_request_id=1,x", 400, ["service_request_id"]),
])
def test_bad_reads_are_answered_in_the_spec_error_format(client, catalogue, path, status, words):
    assert_errors(client.get(BASE + path), status, *words)


def test_errors_in_xml(client, catalogue):
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "nowhere"})
    assert response.status_code == 404
    root = xml_of(response)
    assert root.tag == "errors"
    assert [c.tag for c in root.find("error")] == ["code", "description"]
    assert root.findtext("error/code") == "404"


# --- Reading requests --------------------------------------------------------------------------------------------

def test_requests_validate_have_string_ids_and_no_personal_data(client, submitted, valid, personal):
    response = client.get(f"{BASE}/requests.json")
    data = valid("requests", response.json())
    for item in data:
        valid("request", item)
        assert list(item) == REQUEST_FIELDS
    first = next(item for item in data if item["service_request_id"] == str(submitted[0].pk))
    assert first["zipcode"] == "31000" and first["lat"] == 43.6 and first["status"] == "open"
    assert first["agency_responsible"] == "Roads" and first["service_notice"] == "Made safe in 48 hours."
    assert first["requested_datetime"].endswith("Z") and first["expected_datetime"]
    text = response.content.decode() + client.get(f"{BASE}/requests.xml").content.decode()
    for secret in personal:
        assert secret not in text


def test_requests_xml_has_the_spec_element_names(client, submitted):
    root = xml_of(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests" and {c.tag for c in root} == {"request"}
    assert [c.tag for c in root[0]] == REQUEST_FIELDS
    one = xml_of(client.get(f"{BASE}/requests/{submitted[0].pk}.xml"))
    assert one.findtext("request/service_request_id") == str(submitted[0].pk)
    assert one.findtext("request/status_notes") == ""  # null is an empty element


def test_request_filters(client, submitted, valid):
    pothole, light = submitted
    get = lambda **params: valid("requests", client.get(f"{BASE}/requests.json", params).json())  # noqa: E731
    ids = lambda rows: sorted(int(row["service_request_id"]) for row in rows)  # noqa: E731
    assert ids(get(service_code="pothole")) == [pothole.pk]
    assert ids(get(service_code="pothole,lighting")) == sorted([pothole.pk, light.pk])
    assert ids(get(service_request_id=f"{light.pk}")) == [light.pk]
    assert get(status="closed") == []
    assert ids(get(status="open,closed")) == sorted([pothole.pk, light.pk])
    # The default window is the last 90 days; an explicit window finds older requests.
    old = timezone.now() - timedelta(days=200)
    ServiceRequest.objects.filter(pk=light.pk).update(requested_at=old)
    assert ids(get()) == [pothole.pk]
    start = (old - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(get(start_date=start)) == [light.pk]
    end = (old + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    assert ids(get(end_date=end)) == [light.pk]
    assert ids(get(service_request_id=f"{pothole.pk},{light.pk}")) == sorted([pothole.pk, light.pk])


def test_a_request_and_its_jurisdiction(client, submitted, valid):
    data = client.get(f"{BASE}/requests/{submitted[0].pk}.json").json()
    assert len(data) == 1
    valid("requests", data)
    assert data[0]["service_request_id"] == str(submitted[0].pk)
    assert_errors(client.get(f"{BASE}/requests/{submitted[0].pk}.json", {"jurisdiction_id": "town"}), 404)


# --- Posting requests --------------------------------------------------------------------------------------------

GOOD = {"jurisdiction_id": "city", "service_code": "pothole", "lat": "43.61", "long": "1.44",
        "description": "Hole near the school", "attribute[size]": "small", "email": "poster@example.org",
        "first_name": "Posy", "last_name": "Poster", "phone": "0600000000", "device_id": "dev-1"}


def test_post_creates_a_request_and_keeps_personal_data_private(client, catalogue, api_key, valid):
    response = client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key})
    assert response.status_code == 201, response.content
    created = response.json()
    assert list(created[0]) == ["service_request_id", "service_notice", "account_id"]
    number = created[0]["service_request_id"]
    assert isinstance(number, str) and created[0]["account_id"] is None
    item = ServiceRequest.objects.get(pk=int(number))
    assert (item.email, item.first_name, item.author, item.attributes) == ("poster@example.org", "Posy", None,
                                                                           {"size": "small"})
    assert item.api_key.name == "FixMyStreet test"
    public = client.get(f"{BASE}/requests/{number}.json")
    valid("requests", public.json())
    for secret in ("poster@example.org", "Posy", "Poster", "0600000000", "dev-1"):
        assert secret not in public.content.decode()
    assert Event.objects.filter(action="services.request_submitted", target_id=number).count() == 1


def test_post_in_xml(client, catalogue, api_key):
    response = client.post(f"{BASE}/requests.xml", {**GOOD, "api_key": api_key})
    root = xml_of(response)
    assert response.status_code == 201
    assert root.tag == "service_requests"
    assert [c.tag for c in root.find("request")] == ["service_request_id", "service_notice", "account_id"]


def test_batch_service_returns_a_token_that_leads_to_the_request(client, catalogue, api_key, valid):
    response = client.post(f"{BASE}/requests.json", {
        "api_key": api_key, "service_code": "bulky", "address_string": "12 rue des Lois",
        "attribute[volume_m3]": "1.5", "attribute[items]": "A wardrobe",
        "attribute[floor][]": ["street", "yard"]})
    assert response.status_code == 201, response.content
    created = response.json()[0]
    assert "service_request_id" not in created and created["token"]
    found = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    item = ServiceRequest.objects.get(pk=int(found[0]["service_request_id"]))
    assert found == [{"service_request_id": str(item.pk), "token": created["token"]}]
    assert item.attributes == {"volume_m3": "1.5", "items": "A wardrobe", "floor": ["street", "yard"]}
    root = xml_of(client.get(f"{BASE}/tokens/{created['token']}.xml"))
    assert [c.tag for c in root.find("request")] == ["service_request_id", "token"]


@pytest.mark.parametrize("key, words", [
    (None, ["api_key is missing"]),
    ("", ["api_key is missing"]),
    ("not-a-key", ["Invalid api_key"]),
])
def test_post_without_a_valid_key_is_refused_and_writes_nothing(client, catalogue, api_key, key, words):
    before = ServiceRequest.objects.count(), Event.objects.count()
    data = dict(GOOD) if key is None else {**GOOD, "api_key": key}
    assert_errors(client.post(f"{BASE}/requests.json", data), 403, *words)
    response = client.post(f"{BASE}/requests.xml", data)
    assert response.status_code == 403 and xml_of(response).findtext("error/code") == "403"
    nothing_written(*before)


def test_revoked_and_foreign_keys_are_refused(client, catalogue, people, tree, api_key):
    from comuna.services.models import ApiKey
    from comuna.services.services import do_revoke_api_key

    before = ServiceRequest.objects.count(), Event.objects.count()
    # A key of the city is no key for the town.
    assert_errors(client.post(f"{BASE}/requests.json", {**GOOD, "jurisdiction_id": "town",
                                                        "service_code": "town-graffiti", "api_key": api_key}),
                  403, "Invalid api_key")
    nothing_written(*before)
    do_revoke_api_key(people["admin"], ApiKey.objects.get())
    before = ServiceRequest.objects.count(), Event.objects.count()
    assert_errors(client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key}), 403, "Invalid api_key")
    nothing_written(*before)


def test_missing_required_attributes_are_each_named_and_nothing_is_written(client, catalogue, api_key):
    before = ServiceRequest.objects.count(), Event.objects.count()
    body = assert_errors(client.post(f"{BASE}/requests.json", {
        "api_key": api_key, "service_code": "bulky", "address_string": "12 rue des Lois",
        "attribute[items]": "A sofa"}), 400)
    assert [e["description"] for e in body] == [
        "attribute[volume_m3] is required for service bulky: How many cubic metres?"]
    body = assert_errors(client.post(f"{BASE}/requests.json", {
        "api_key": api_key, "service_code": "bulky", "address_string": "x"}), 400)
    assert len(body) == 2 and "attribute[volume_m3]" in body[0]["description"] \
        and "attribute[items]" in body[1]["description"]
    response = client.post(f"{BASE}/requests.xml", {"api_key": api_key, "service_code": "bulky",
                                                    "address_string": "x", "attribute[items]": "A sofa"})
    assert response.status_code == 400
    assert "attribute[volume_m3] is required" in xml_of(response).findtext("error/description")
    nothing_written(*before)


@pytest.mark.parametrize("changes, status, words", [
    ({"service_code": ""}, 400, ["service_code was not provided"]),
    ({"service_code": "nothing"}, 404, ["service_code nothing"]),
    ({"jurisdiction_id": "nowhere"}, 404, ["jurisdiction_id nowhere"]),
    ({"lat": "", "long": ""}, 400, ["lat and long", "address_string"]),
    ({"long": ""}, 400, ["lat and long together"]),
    ({"lat": "91"}, 400, ["lat must be a number between -90 and 90"]),
    ({"lat": "nan"}, 400, ["lat must be"]),
    ({"attribute[size]": "huge"}, 400, ["attribute[size] must be one of small, large"]),
    ({"attribute[colour]": "red"}, 400, ["attribute[colour] is not part of the definition"]),
    ({"description": "x" * 4001}, 400, ["4,000"]),
    ({"media_url": "javascript:alert(1)"}, 400, ["media_url"]),
])
def test_bad_posts_are_precise_and_write_nothing(client, catalogue, api_key, changes, status, words):
    before = ServiceRequest.objects.count(), Event.objects.count()
    assert_errors(client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key, **changes}), status, *words)
    nothing_written(*before)


def test_bad_number_attribute(client, catalogue, api_key):
    before = ServiceRequest.objects.count(), Event.objects.count()
    assert_errors(client.post(f"{BASE}/requests.json", {
        "api_key": api_key, "service_code": "bulky", "address_string": "x", "attribute[volume_m3]": "lots",
        "attribute[items]": "A sofa"}), 400, "attribute[volume_m3] must be a number")
    nothing_written(*before)


def photo_bytes() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera maker: any EXIF at all must go
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_posted_photo_is_reencoded_and_served_as_media_url(client, catalogue, api_key, valid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = photo_bytes()
    assert b"PhoneMaker" in raw
    response = client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key,
                                                    "media": SimpleUploadedFile("hole.jpg", raw, "image/jpeg")})
    assert response.status_code == 201, response.content
    number = response.json()[0]["service_request_id"]
    data = valid("requests", client.get(f"{BASE}/requests/{number}.json").json())
    assert data[0]["media_url"] == f"http://testserver/services/requests/{number}/photo/"
    served = client.get(f"/services/requests/{number}/photo/")
    content = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert content.startswith(b"\xff\xd8") and b"PhoneMaker" not in content


def test_a_file_that_is_not_an_image_is_refused(client, catalogue, api_key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = ServiceRequest.objects.count(), Event.objects.count()
    fake = SimpleUploadedFile("hole.jpg", b"<script>alert(1)</script>", "image/jpeg")
    assert_errors(client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key, "media": fake}), 400,
                  "not a readable image")
    nothing_written(*before)


def test_posts_are_rate_limited(client, catalogue, api_key):
    for _ in range(30):
        client.post(f"{BASE}/requests.json", {"api_key": "wrong"})
    assert_errors(client.post(f"{BASE}/requests.json", {**GOOD, "api_key": api_key}), 429, "Too many")


def test_other_methods_are_refused_in_the_error_format(client, catalogue):
    assert_errors(client.post(f"{BASE}/services.json"), 405)
    assert_errors(client.delete(f"{BASE}/requests.json"), 405)
