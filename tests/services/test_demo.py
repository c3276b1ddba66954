"""The demo has Toulouse's service catalogue and open and closed requests, served by the Open311 API."""

import pytest

from comuna.cli import main


@pytest.mark.django_db
def test_demo_has_toulouse_services_and_open_requests(client, valid):
    assert main(["demo"]) == 0
    services = valid("services", client.get("/open311/v2/services.json", {"jurisdiction_id": "toulouse"}).json())
    assert {s["service_code"] for s in services} == {"tls-pothole", "tls-lighting", "tls-graffiti", "tls-bulky"}
    bulky = valid("service-definition", client.get("/open311/v2/services/tls-bulky.json").json())
    assert [a["code"] for a in bulky["attributes"] if a["required"]] == ["volume_m3", "items"]
    requests = valid("requests", client.get("/open311/v2/requests.json").json())  # Toulouse is the default
    statuses = [row["status"] for row in requests]
    assert statuses.count("open") >= 3 and statuses.count("closed") >= 2
    assert "@demo.comuna.city" not in client.get("/open311/v2/requests.xml").content.decode()
    assert "Pothole" in client.get("/spheres/toulouse/services/").content.decode()
