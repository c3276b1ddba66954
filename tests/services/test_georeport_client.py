"""A real Open311 client, `georeport` from PyPI, reads our services and requests over HTTP from the live server,
in JSON and in XML. It has no method to create requests, so the POST goes through `requests` the way it would."""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_for(live_server, catalogue):
    def make(output_format: str, api_key: str | None = None) -> GeoReport:
        return GeoReport(f"{live_server.url}/open311/v2/", jurisdiction="city", api_key=api_key,
                         output_format=output_format)

    return make


def test_georeport_reads_services_and_definitions(client_for, valid):
    services = valid("services", client_for("json").get_service_list())
    assert {s["service_code"] for s in services} == {"pothole", "lighting", "bulky"}
    definition = valid("service-definition", client_for("json").get_service_definition("bulky"))
    assert [a["code"] for a in definition["attributes"]] == ["volume_m3", "items", "floor"]
    as_xml = client_for("xml").get_service_list()  # xmltodict: strings everywhere
    assert {s["service_code"] for s in as_xml} == {"pothole", "lighting", "bulky"}
    assert {s["metadata"] for s in as_xml} == {"true", "false"}
    xml_definition = client_for("xml").get_service_definition("pothole")
    assert xml_definition["attributes"]["attribute"]["values"]["value"][1] == {"key": "large", "name": "Large"}


def test_georeport_posts_then_follows_a_request(client_for, api_key, live_server, valid, personal, submitted):
    georeport = client_for("json", api_key=api_key)
    response = requests.post(f"{georeport.root_address}/requests.json", data={
        "api_key": georeport.api_key, "jurisdiction_id": georeport.jurisdiction, "service_code": "pothole",
        "address_string": "Place du Capitole", "attribute[size]": "small", "email": "client@example.org",
        "description": "Posted by an Open311 app"}, timeout=10)
    assert response.status_code == 201, response.text
    number = response.json()[0]["service_request_id"]

    listed = valid("requests", georeport.get_service_requests(service_code="pothole", status="open"))
    assert number in {row["service_request_id"] for row in listed}
    one = valid("request", georeport.get_service_request(number))
    assert (one["service_request_id"], one["address"], one["status"]) == (number, "Place du Capitole", "open")
    several = georeport.get_service_requests(service_request_id=f"{number},{submitted[0].pk}")
    assert sorted(row["service_request_id"] for row in several) == sorted([number, str(submitted[0].pk)])

    xml_rows = client_for("xml").get_service_requests()
    assert number in {row["service_request_id"] for row in xml_rows}
    assert client_for("xml").get_service_request(number)["description"] == "Posted by an Open311 app"
    everything = requests.get(f"{georeport.root_address}/requests.xml", timeout=10).text
    for secret in [*personal, "client@example.org"]:
        assert secret not in everything


def test_georeport_sees_http_errors(client_for):
    georeport = GeoReport(client_for("json").root_address, jurisdiction="nowhere")
    with pytest.raises(requests.HTTPError) as raised:
        georeport.get_service_list()
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()[0]["description"] == "jurisdiction_id nowhere was not found."
