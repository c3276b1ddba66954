"""IATI 2.03 export: valid against the official schema, official codes only, the same file on the web and the CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from comuna.cooperation import iati, services
from comuna.cooperation.models import Document, TransactionKind
from comuna.core.errors import DomainError
from shared_data import SHARED_DATA

CODED = {  # (element, attribute) -> codelist
    ("reporting-org", "type"): "OrganisationType", ("participating-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole", ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType", ("recipient-country", "code"): "Country",
    ("sector", "vocabulary"): "SectorVocabulary", ("budget", "type"): "BudgetType", ("budget", "status"): "BudgetStatus",
    ("value", "currency"): "Currency", ("transaction-type", "code"): "TransactionType",
    ("provider-org", "type"): "OrganisationType", ("receiver-org", "type"): "OrganisationType",
    ("result", "type"): "ResultType", ("indicator", "measure"): "IndicatorMeasure",
    ("category", "code"): "DocumentCategory", ("document-link", "format"): "FileFormat",
    ("language", "code"): "Language", ("description", "type"): "DescriptionType",
}
SECTOR_CODELISTS = {"1": "Sector", "7": "UNSDG-Goals", "8": "UNSDG-Targets"}


@pytest.fixture
def full_project(partners, people):
    project = partners["project"]
    services.do_add_transaction(people["official"], project, kind=TransactionKind.COMMITMENT, day=date(2025, 1, 10),
                                value=Decimal("50000"), provider=partners["city"], receiver=partners["town"])
    services.do_add_transaction(people["official"], project, kind=TransactionKind.DISBURSEMENT, day=date(2025, 3, 1),
                                value=Decimal("20000.50"), provider=partners["city"], receiver=partners["town"],
                                description="First instalment")
    services.do_add_result(people["official"], project, title="Squares redesigned", indicator="Squares redesigned",
                           baseline_year=2024, baseline=Decimal(0), target=Decimal(4), actual=Decimal(1),
                           period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    Document.objects.create(project=project, title="Agreement", url="https://example.org/agreement.pdf",
                            format="application/pdf", category="A09", language="fr")
    return project


def codes_outside_codelists(document: bytes, codelists: dict) -> list[str]:
    root = etree.fromstring(document)
    problems = []
    for element in root.iter():
        for (tag, attribute), codelist in CODED.items():
            if element.tag == tag and element.get(attribute) is not None \
                    and element.get(attribute) not in codelists[codelist]:
                problems.append(f"{tag}/@{attribute}={element.get(attribute)} not in {codelist}")
        if element.tag == "sector" and element.getparent().tag == "iati-activity":
            vocabulary, code = element.get("vocabulary"), element.get("code")
            if vocabulary == "7":
                assert 1 <= int(code) <= 17, code
            elif vocabulary == "8":
                from comuna.cooperation import sdg

                assert sdg.is_target(code), code
            else:
                assert code in codelists[SECTOR_CODELISTS[vocabulary]], code
    return problems


def test_the_export_is_valid_iati_2_03_with_official_codes_only(full_project, tree, schema, codelists):
    document = iati.export_sphere(tree["city"])
    assert iati.schema_errors(document, schema) == []
    assert codes_outside_codelists(document, codelists) == []
    root = etree.fromstring(document)
    assert root.get("version") == "2.03"
    (activity,) = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == "FR-INSEE-213105554-COOP-1"
    assert activity.find("reporting-org").get("ref") == "FR-INSEE-213105554"
    roles = {(p.findtext("narrative"), p.get("role")) for p in activity.findall("participating-org")}
    assert roles == {("City", "1"), ("City", "2"), ("Town", "4")}
    sdg_sectors = [(s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in activity.findall("sector")
                   if s.get("vocabulary") in ("7", "8")]
    assert sdg_sectors == [("8", "11.3", "50"), ("8", "11.7", "50"), ("7", "11", "100")]
    values = [(t.find("transaction-type").get("code"), t.findtext("value")) for t in activity.findall("transaction")]
    assert values == [("2", "50000"), ("3", "20000.50")]
    assert activity.find("budget/value").text == "50000"
    assert activity.find("result/indicator/period/actual").get("value") == "1"


def test_the_web_serves_the_same_file(full_project, tree, client, schema):
    response = client.get("/api/v1/iati/city/activities.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert iati.schema_errors(response.content, schema) == []
    from_cli = etree.fromstring(iati.export_sphere(tree["city"]))
    from_web = etree.fromstring(response.content)
    for root in (from_cli, from_web):
        del root.attrib["generated-datetime"]
    assert etree.tostring(from_cli) == etree.tostring(from_web)


def test_the_cli_writes_the_export(full_project, tmp_path, schema, capsys):
    from comuna.cli import main

    target = tmp_path / "city.xml"
    assert main(["iati", "export", "--sphere", "city", "-o", str(target)]) == 0
    assert iati.schema_errors(target.read_bytes(), schema) == []
    assert b"FR-INSEE-213105554-COOP-1" in target.read_bytes()


def test_a_sphere_without_an_iati_identifier_cannot_publish(tree, client, capsys):
    response = client.get("/api/v1/iati/town/activities.xml")
    assert response.status_code == 404
    assert "no IATI organisation identifier" in response.content.decode()
    from comuna.cli import main

    assert main(["iati", "export", "--sphere", "town"]) == 1
    assert "no IATI organisation identifier" in capsys.readouterr().err
    assert main(["iati", "export", "--sphere", "nowhere"]) == 2
    assert client.get("/api/v1/iati/nowhere/activities.xml").status_code == 404


def test_a_publisher_without_projects_is_told_so(tree, people, client):
    """The schema wants at least one activity: an empty file would be invalid, so none is served."""
    services.do_set_identifier(people["admin"], tree["city"], "FR-INSEE-213105554")
    with pytest.raises(DomainError) as refusal:
        iati.export_sphere(tree["city"])
    assert refusal.value.code == "nothing_to_publish"
    response = client.get("/api/v1/iati/city/activities.xml")
    assert response.status_code == 404 and "no cooperation project to publish" in response.content.decode()


SCHEMA_TESTS = SHARED_DATA / "iati" / "schemas-2.03" / "tests"


def official_test_files(kind: str) -> list:
    return sorted([*(SCHEMA_TESTS / "activity-tests" / kind).glob("*.xml"),
                   *(SCHEMA_TESTS / kind / "iati-activities").rglob("*.xml")])


@pytest.mark.parametrize("kind", ["should-pass", "should-fail"])
def test_the_validator_classifies_the_official_test_files(kind, schema):
    files = official_test_files(kind)
    assert len(files) > 50
    wrong = [path.name for path in files if bool(iati.schema_errors(path.read_bytes(), schema)) != (kind == "should-fail")]
    assert wrong == []


def test_errors_name_the_line(schema):
    broken = b'<iati-activities version="2.03">\n<iati-activity>\n<title/>\n</iati-activity>\n</iati-activities>'
    errors = iati.schema_errors(broken, schema)
    assert errors and errors[0].startswith("line ")
