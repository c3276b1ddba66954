"""Our responses have exactly the element names and nesting of the specification's own examples
(../shared/data/open311/spec_examples), in XML and, where the spec's JSON example is valid JSON, in JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from shared_data import SHARED_DATA

EXAMPLES = SHARED_DATA / "open311" / "spec_examples"
BASE = "/open311/v2"


def paths(element: ET.Element, prefix: str = "") -> set[str]:
    here = f"{prefix}/{element.tag}"
    found = {here}
    for child in element:
        found |= paths(child, here)
    return found


def example_xml(name: str) -> ET.Element:
    text = (EXAMPLES / name).read_text()
    return ET.fromstring(text[text.index("<?xml"):].encode())


def keys(data) -> set[str]:
    """Key paths of a JSON document, lists looked into."""
    found: set[str] = set()

    def walk(value, prefix):
        if isinstance(value, dict):
            for key, inner in value.items():
                found.add(f"{prefix}/{key}")
                walk(inner, f"{prefix}/{key}")
        elif isinstance(value, list):
            for inner in value:
                walk(inner, prefix)

    walk(data, "")
    return found


@pytest.fixture
def posted(client, catalogue, api_key, submitted):
    created = client.post(f"{BASE}/requests.xml", {"api_key": api_key, "service_code": "pothole",
                                                   "address_string": "Rue de Metz"})
    batch = client.post(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "bulky", "address_string": "x",
                                                  "attribute[volume_m3]": "1", "attribute[items]": "A chair"})
    return {"created": created, "token": batch.json()[0]["token"], "id": submitted[0].pk}


@pytest.mark.parametrize("example, path", [
    ("xml-service-list.xml", "/services.xml"),
    ("xml-service-definition.xml", "/services/pothole.xml"),
    ("xml-service-requests.xml", "/requests.xml"),
    ("xml-service-request.xml", "/requests/{id}.xml"),
    ("xml-request-from-token.xml", "/tokens/{token}.xml"),
    ("xml-errors.txt", "/services/nothing.xml"),
])
def test_xml_has_the_spec_elements(client, posted, example, path):
    ours = ET.fromstring(client.get(BASE + path.format(**posted)).content)
    assert paths(ours) == paths(example_xml(example))


def test_post_xml_has_the_spec_elements(posted):
    assert paths(ET.fromstring(posted["created"].content)) == paths(example_xml("xml-service-request-post.xml"))


@pytest.mark.parametrize("example, path", [
    ("json-service-definition.json", "/services/pothole.json"),
    ("json-request-from-token.json", "/tokens/{token}.json"),
    ("json-errors.txt", "/services/nothing.json"),
])
def test_json_has_the_spec_keys(client, posted, example, path):
    text = (EXAMPLES / example).read_text()
    spec = json.loads(text[min(i for i in (text.find("["), text.find("{")) if i >= 0):])
    assert keys(client.get(BASE + path.format(**posted)).json()) == keys(spec)


def test_post_json_has_the_spec_keys(client, catalogue, api_key):
    spec = json.loads((EXAMPLES / "json-service-request-post.json").read_text())
    ours = client.post(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "lighting",
                                                 "address_string": "x"}).json()
    assert keys(ours) == keys(spec)
