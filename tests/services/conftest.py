"""Public services fixtures: a catalogue in the test city, an Open311 key, and the Open311 JSON Schemas."""

from __future__ import annotations

import json

import pytest

from shared_data import SHARED_DATA

SCHEMA_DIR = SHARED_DATA / "open311" / "jsonschema" / "schema" / "georeport-v2"


@pytest.fixture(scope="session")
def schemas():
    """Validators for the open311/schema-validation JSON Schemas (Draft 4), with their relative `$ref`s."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    contents = {path.name: json.loads(path.read_text()) for path in SCHEMA_DIR.glob("*.json")
                if path.name != "swagger.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT4)) for name, schema in contents.items())
    return {name.removesuffix(".json"): Draft4Validator(schema, registry=registry,
                                                         format_checker=Draft4Validator.FORMAT_CHECKER)
            for name, schema in contents.items()}


@pytest.fixture
def valid(schemas):
    def check(name: str, data):
        problems = sorted(str(error.message) for error in schemas[name].iter_errors(data))
        assert not problems, problems
        return data

    return check


@pytest.fixture
def catalogue(tree):
    from comuna.services.models import Datatype, ServiceType
    from comuna.services.services import do_create_service

    city = tree["city"]
    pothole = do_create_service(
        None, city, service_code="pothole", name="Pothole", group="Streets", keywords="road, hole",
        description="A hole in the road.", agency_responsible="Roads", service_notice="Made safe in 48 hours.",
        expected_days=14,
        attributes=[{"code": "size", "datatype": Datatype.SINGLEVALUELIST, "description": "How big?",
                     "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]}])
    lighting = do_create_service(None, city, service_code="lighting", name="Street lighting out")
    bulky = do_create_service(
        None, city, service_code="bulky", name="Bulky waste collection", type=ServiceType.BATCH,
        attributes=[{"code": "volume_m3", "datatype": Datatype.NUMBER, "required": True,
                     "description": "How many cubic metres?"},
                    {"code": "items", "datatype": Datatype.TEXT, "required": True, "description": "What items?"},
                    {"code": "floor", "datatype": Datatype.MULTIVALUELIST, "description": "Where?",
                     "values": [{"key": "street", "name": "Street"}, {"key": "yard", "name": "Yard"}]}])
    town_service = do_create_service(None, tree["town"], service_code="town-graffiti", name="Graffiti")
    return {"pothole": pothole, "lighting": lighting, "bulky": bulky, "town": town_service}


@pytest.fixture
def api_key(people, tree):
    from comuna.services.services import do_issue_api_key

    _key, raw = do_issue_api_key(people["admin"], tree["city"], "FixMyStreet test")
    return raw


@pytest.fixture
def submitted(catalogue, people):
    """Two requests from residents, with personal details that must never be public."""
    from comuna.services.services import Report, do_submit_request

    first = do_submit_request(catalogue["pothole"], Report(
        description="Deep hole in the cycle lane", address="Rue de Metz", lat=43.6, long=1.44, zipcode="31000",
        attributes={"size": ["large"]}, email="secret-reporter@example.org", first_name="Zébulon",
        last_name="Secretname", phone="+33 6 12 34 56 78"), author=people["resident"])
    second = do_submit_request(catalogue["lighting"], Report(address="Allées Jean Jaurès"), author=people["resident"])
    return [first, second]


@pytest.fixture
def personal():
    """What the requesters of `submitted` gave about themselves; anonymous visitors must see none of it."""
    return ["secret-reporter@example.org", "Zébulon", "Secretname", "12 34 56 78", "resident@example.org"]
