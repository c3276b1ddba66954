"""Cooperation fixtures: the city and the town partners in a project, the official IATI 2.03 schema and codelists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared_data import SHARED_DATA

IATI = SHARED_DATA / "iati"
SCHEMAS = IATI / "schemas-2.03"
CODELISTS = IATI / "codelists-2.03-embedded"
REAL_ACTIVITIES = sorted((IATI / "real-activities").rglob("*.xml"))


@pytest.fixture(scope="session")
def schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))


@pytest.fixture(scope="session")
def codelists():
    from lxml import etree

    lists = {}
    for folder in (IATI / "codelists-non-embedded", CODELISTS):  # embedded lists win
        for path in folder.glob("*.xml"):
            lists[path.stem] = set(etree.parse(str(path)).xpath("//codelist-item/code/text()"))
    return lists


@pytest.fixture
def partners(tree, people):
    """The city (IATI identifier set) in a partnership with the town, one project with a budget and SDG targets."""
    from comuna.cooperation import services
    from comuna.cooperation.models import Role

    services.do_set_identifier(people["admin"], tree["city"], "FR-INSEE-213105554")
    town = services.organisation_for(tree["town"])
    partnership = services.do_create_partnership(people["official"], tree["city"], title="City and Town",
                                                 partner=town)
    project = services.do_create_project(
        people["official"], tree["city"], title="Shared public spaces", description="Residents plan squares.",
        partnership=partnership, partners=[(town, Role.IMPLEMENTING)], sdg_targets=["11.3", "11.7"],
        planned_start=date(2025, 1, 1), planned_end=date(2026, 12, 31), budget=Decimal("50000"),
        sectors=[{"vocabulary": "1", "code": "43030"}], countries=["FR"],
        places=[{"name": "Old town square", "lat": 43.6, "lon": 1.44}])
    return {"town": town, "city": services.organisation_for(tree["city"]), "partnership": partnership,
            "project": project}
