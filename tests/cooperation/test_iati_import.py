"""IATI import of real published files: tolerant, reported per activity, idempotent, safe against bad input."""

from __future__ import annotations

import pytest
from lxml import etree

from comuna.cooperation import iati, services
from comuna.cooperation.models import Budget, Indicator, Organisation, Participant, Project, Transaction
from comuna.core.errors import DomainError
from shared_data import SHARED_DATA

REAL = sorted((SHARED_DATA / "iati" / "real-activities").rglob("*.xml"))
FIXTURES = SHARED_DATA / "iati" / "real-activities" / "iati-flattener-fixtures" / "fixtures"


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in (Project, Organisation, Participant, Budget,
                                                                 Transaction, Indicator)} | {
        "hashes": sorted(Project.objects.values_list("iati_identifier", "content_hash", "updated_at"))}


def test_there_are_real_files():
    assert len(REAL) >= 15


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_real_file_is_reported_activity_by_activity_and_a_second_import_changes_nothing(path, db):
    data = path.read_bytes()
    activities = etree.fromstring(data).findall("iati-activity")
    report = services.do_import_iati(data, filename=path.name)
    assert len(report.activities) == len(activities)
    for activity in report.activities:
        assert activity.outcome in ("imported", "skipped"), activity
        assert activity.outcome == "imported" or activity.reason
    imported = report.count("imported")
    assert Project.objects.filter(imported=True).count() == imported > 0
    before = snapshot()
    again = services.do_import_iati(data, filename=path.name)
    assert again.changed == 0
    assert again.count("unchanged") == imported
    assert snapshot() == before


def test_what_an_fcdo_activity_becomes(db):
    services.do_import_iati((FIXTURES / "fcdo-activity.xml").read_bytes())
    project = Project.objects.get(iati_identifier="GB-1-103662-101")
    assert project.title == "PROCOFSERVICES and P0220 for Civil Ser. Cap. Bldng. Liberia"
    assert project.reporting_org.iati_ref == "GB-GOV-1"
    assert project.currency == "GBP"
    roles = {(p.organisation.name, p.role) for p in project.participants.select_related("organisation")}
    assert ("Adam Smith International", "4") in roles
    assert ("Foreign, Commonwealth and Development Office", "1") in roles
    assert project.budgets.exists() and project.transactions.exists()


def test_sectors_without_a_code_are_left_out_with_a_warning(db):
    """The d-portal COVID extract has sectors without a code (not schema-valid): the activities still come in."""
    report = services.do_import_iati((SHARED_DATA / "iati" / "real-activities" / "dportal-extracts" /
                                      "covid_dportal.xml").read_bytes())
    warned = [a for a in report.activities if "A sector without a code was left out." in a.warnings]
    assert warned and all(a.outcome == "imported" for a in warned)


def test_a_changed_activity_is_updated_and_only_it(db):
    data = (FIXTURES / "gdihub-activity.xml").read_bytes()
    services.do_import_iati(data)
    root = etree.fromstring(data)
    first = root.find("iati-activity")
    first.find("title/narrative").text = "A new title"
    report = services.do_import_iati(etree.tostring(root))
    assert report.count("updated") == 1 and report.count("unchanged") == len(root.findall("iati-activity")) - 1
    assert Project.objects.get(iati_identifier=first.findtext("iati-identifier").strip()).title == "A new title"


def test_broken_activities_are_skipped_with_their_reason_and_the_rest_imported(db):
    data = b"""<iati-activities version="2.03">
<iati-activity><title><narrative>No identifier</narrative></title></iati-activity>
<iati-activity><iati-identifier>XM-TEST-1</iati-identifier><title><narrative>No reporting org</narrative></title></iati-activity>
<iati-activity><iati-identifier>XM-TEST-2</iati-identifier><reporting-org ref="XM-TEST" type="21"><narrative>Test NGO</narrative></reporting-org>
 <title><narrative>Fine</narrative></title>
 <budget><period-start iso-date="not a date"/><value>12</value></budget>
 <transaction><transaction-type code="3"/><transaction-date iso-date="2024-02-30"/><value>5</value></transaction>
 <transaction><transaction-type code="3"/><transaction-date iso-date="2024-02-03"/><value currency="EUR">5,000.5</value></transaction>
 <sector vocabulary="8" code="11.3"/>
</iati-activity>
<iati-activity><iati-identifier>XM-TEST-2</iati-identifier><reporting-org ref="XM-TEST"/></iati-activity>
</iati-activities>"""
    report = services.do_import_iati(data)
    outcomes = [(a.identifier, a.outcome, a.reason, a.line) for a in report.activities]
    assert outcomes == [("", "skipped", "no iati-identifier", 2),
                        ("XM-TEST-1", "skipped", "no reporting organisation", 3),
                        ("XM-TEST-2", "imported", "", 4),
                        ("XM-TEST-2", "skipped", "the same identifier came earlier in the file", 11)]
    assert "A budget without its period or amount was left out." in report.activities[2].warnings
    project = Project.objects.get(iati_identifier="XM-TEST-2")
    assert [(t.value, t.currency) for t in project.transactions.all()] == [(5000.5, "EUR")]
    assert project.sdg_targets == ["11.3"]
    assert Project.objects.count() == 1 and Organisation.objects.count() == 1  # nothing left of the skipped ones


def test_an_import_never_overwrites_a_project_published_here(partners, db):
    project = partners["project"]
    data = f"""<iati-activities version="2.03"><iati-activity><iati-identifier>{project.iati_identifier}</iati-identifier>
<reporting-org ref="FR-INSEE-213105554" type="11"><narrative>Impostor</narrative></reporting-org>
<title><narrative>Taken over</narrative></title></iati-activity></iati-activities>""".encode()
    report = services.do_import_iati(data)
    assert report.activities[0].outcome == "skipped"
    assert "never overwrites" in report.activities[0].reason
    project.refresh_from_db()
    assert project.title == "Shared public spaces" and not project.imported


@pytest.mark.parametrize("data, code, words", [
    (b"this is not XML at all", "not_xml", "line 1"),
    (b"<iati-activities><iati-activity></iati-activities>", "not_xml", "line 1, column"),
    (b"", "empty_file", "empty"),
    (b"<html><body>Hello</body></html>", "not_iati", "<html>"),
    (b'<iati-activities version="1.05"/>', "iati_version", "1.05"),
])
def test_bad_files_are_refused_precisely_and_nothing_is_written(data, code, words, db):
    with pytest.raises(DomainError) as refusal:
        services.do_import_iati(data)
    assert refusal.value.code == code
    assert words in str(refusal.value.message)
    assert Project.objects.count() == 0 and Organisation.objects.count() == 0


def test_the_not_xml_message_names_the_line(db):
    with pytest.raises(DomainError) as refusal:
        services.do_import_iati(b'<iati-activities version="2.03">\n<iati-activity>\n<title>\n</iati-activities>')
    assert refusal.value.details["line"] == 4
    assert "line 4" in str(refusal.value.message)


def test_entities_are_not_expanded_and_nothing_is_fetched(db):
    data = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">
<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XM-TEST-9</iati-identifier>
<reporting-org ref="XM-TEST"><narrative>Test</narrative></reporting-org>
<title><narrative>&secret;&c;</narrative></title></iati-activity></iati-activities>"""
    services.do_import_iati(data)
    title = Project.objects.get(iati_identifier="XM-TEST-9").title
    assert "root:" not in title and "aaaaaaaaaa" not in title


def test_a_file_too_large_is_refused_before_parsing(db, monkeypatch):
    monkeypatch.setattr(iati, "MAX_IATI_BYTES", 100)
    with pytest.raises(DomainError) as refusal:
        services.do_import_iati(b"<iati-activities>" + b" " * 200 + b"</iati-activities>")
    assert refusal.value.code == "file_too_large"


def test_the_cli_reports_each_activity_and_refuses_non_xml(db, tmp_path, capsys):
    from comuna.cli import main

    assert main(["iati", "import", str(FIXTURES / "unops-at-activity.xml")]) == 0
    out = capsys.readouterr().out
    assert out.count("imported\t") == 3 and "3 imported, 0 updated, 0 unchanged, 0 skipped." in out
    assert main(["iati", "import", str(FIXTURES / "unops-at-activity.xml")]) == 0
    assert "0 imported, 0 updated, 3 unchanged, 0 skipped." in capsys.readouterr().out
    bad = tmp_path / "bad.xml"
    bad.write_text("name,amount\nx,1\n")
    assert main(["iati", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.xml: The file is not XML" in err and "line 1" in err
    assert main(["iati", "import", str(tmp_path / "missing.xml")]) == 2
