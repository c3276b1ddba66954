"""Officials edit projects and partnerships, add and remove budgets, places and documents; the IATI export carries
them and stays valid against the official schema, with official codes only."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from PIL import Image

from comuna.audit.models import Event
from comuna.cooperation import iati, services
from comuna.cooperation.models import Budget, Document, Project
from comuna.core.errors import DomainError, NotAllowed

from .test_iati_export import codes_outside_codelists

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (20, 10), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (43.0, 36.0, 0.0)}  # GPSInfo: where the phone was
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_an_official_edits_the_project_and_the_page_and_export_show_it(partners, signed_in, people, tree, client,
                                                                        schema, codelists):
    project = partners["project"]
    official = signed_in(people["official"])
    page = official.get(project.get_absolute_url()).content.decode()
    assert f'href="/cooperation/projects/{project.pk}/edit/"' in page
    form = official.get(f"/cooperation/projects/{project.pk}/edit/").content.decode()
    assert 'value="43030"' in form and 'value="FR"' in form
    response = official.post(f"/cooperation/projects/{project.pk}/edit/", {
        "title": "Shared squares", "description": "Residents plan three squares.", "status": "3",
        "planned_start": "2025-01-01", "planned_end": "2026-06-30", "actual_start": "2025-02-01",
        "actual_end": "2026-05-31", "sdg_targets": ["11.7", "16.7"], "sectors": "43030, 15150",
        "countries": "fr sn"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.status, project.actual_end) == ("Shared squares", "3", date(2026, 5, 31))
    assert project.sdg_targets == ["11.7", "16.7"] and project.countries == ["FR", "SN"]
    assert [s["code"] for s in project.sectors] == ["43030", "15150"]
    assert "title" in Event.objects.get(action="cooperation.project_edited").data["changed"]
    document = iati.export_sphere(tree["city"])
    assert iati.schema_errors(document, schema) == [] and codes_outside_codelists(document, codelists) == []
    activity = etree.fromstring(document).find("iati-activity")
    assert activity.findtext("title/narrative") == "Shared squares"
    assert activity.find("activity-status").get("code") == "3"
    assert [c.get("code") for c in activity.findall("recipient-country")] == ["FR", "SN"]
    assert {(s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")} >= {
        ("1", "43030"), ("1", "15150"), ("8", "16.7"), ("7", "16")}
    assert activity.find("activity-date[@type='4']").get("iso-date") == "2026-05-31"


@pytest.mark.parametrize("changes, words", [
    ({"sectors": "99999"}, "“99999” is not an OECD DAC sector code."),
    ({"countries": "XX"}, "“XX” is not a country code."),
    ({"planned_end": "2024-01-01"}, "The project cannot end before it starts."),
    ({"actual_start": "2999-01-01"}, "The actual start cannot be in the future"),
])
def test_bad_edits_are_refused_precisely_and_change_nothing(partners, signed_in, people, changes, words):
    project = partners["project"]
    data = {"title": "Changed", "status": "2", "planned_start": "2025-01-01", "planned_end": "2026-12-31",
            "sectors": "43030", "countries": "FR", **changes}
    response = signed_in(people["official"]).post(f"/cooperation/projects/{project.pk}/edit/", data)
    assert response.status_code == 400 and words in response.content.decode()
    assert Project.objects.get(pk=project.pk).title == "Shared public spaces"
    assert not Event.objects.filter(action="cooperation.project_edited").exists()


def test_others_cannot_edit(partners, signed_in, people, client):
    project = partners["project"]
    for who in ("resident", "moderator"):
        signed_in(people[who])
        assert client.get(f"/cooperation/projects/{project.pk}/edit/").status_code == 403
        assert client.post(f"/cooperation/projects/{project.pk}/places/",
                           {"name": "X", "lat": "1", "lon": "1"}).status_code == 403
    with pytest.raises(NotAllowed):
        services.do_edit_project(people["resident"], project, title="Mine", status="2")
    assert Project.objects.get(pk=project.pk).places == [{"name": "Old town square", "lat": 43.6, "lon": 1.44}]


def test_partnerships_are_edited(partners, signed_in, people, tree):
    partnership = partners["partnership"]
    official = signed_in(people["official"])
    assert f"/cooperation/partnerships/{partnership.pk}/edit/" in official.get("/spheres/city/cooperation/").content.decode()
    official.post(f"/cooperation/partnerships/{partnership.pk}/edit/", {
        "title": "City and Town, sister cities", "description": "Since the twinning charter.", "since": "2019-05-01"})
    partnership.refresh_from_db()
    assert partnership.title == "City and Town, sister cities" and partnership.since == date(2019, 5, 1)
    assert Event.objects.filter(action="cooperation.partnership_edited").count() == 1
    response = official.post(f"/cooperation/partnerships/{partnership.pk}/edit/", {"title": ""})
    assert response.status_code == 400
    assert signed_in(people["resident"]).get(f"/cooperation/partnerships/{partnership.pk}/edit/").status_code == 403


def test_budgets_places_and_documents_are_added_removed_and_exported(partners, signed_in, people, tree, client,
                                                                      schema, codelists):
    project = partners["project"]
    official = signed_in(people["official"])
    base = f"/cooperation/projects/{project.pk}"
    official.post(f"{base}/budgets/", {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "30000",
                                       "revised": "on", "committed": "on"})
    assert project.budgets.filter(kind="2", value=Decimal("30000")).exists()
    too_long = official.post(f"{base}/budgets/", {"period_start": "2025-01-01", "period_end": "2026-12-31",
                                                  "value": "1"})
    assert too_long.status_code == 400 and "at most one year" in too_long.content.decode()
    official.post(f"{base}/places/", {"name": "Dakar, Médina", "lat": "14.6937", "lon": "-17.4441"})
    refused = official.post(f"{base}/places/", {"name": "Nowhere", "lat": "95", "lon": "0"})
    assert refused.status_code == 400 and "latitude must be a number between -90 and 90" in refused.content.decode()
    official.post(f"{base}/documents/", {"title": "Twinning charter", "category": "A09",
                                         "url": "https://example.org/charter", "link_format": "text/html",
                                         "language": "fr"})
    official.post(f"{base}/documents/", {"title": "Signed agreement", "category": "A11",
                                         "upload": io.BytesIO(PDF), "link_format": "text/html"})
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "square.pdf"  # the name lies: the content decides
    official.post(f"{base}/documents/", {"title": "The square", "category": "A08", "upload": photo})
    assert [(d.title, d.format, bool(d.file)) for d in project.documents.all()] == [
        ("Twinning charter", "text/html", False), ("Signed agreement", "application/pdf", True),
        ("The square", "image/jpeg", True)]
    uploaded = project.documents.get(title="The square")
    assert uploaded.url == f"http://testserver/cooperation/documents/{uploaded.pk}/"
    served = client.get(f"/cooperation/documents/{uploaded.pk}/")
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and b"GPS" not in body
    assert Image.open(io.BytesIO(body)).getexif().get(0x8825) is None

    document = iati.export_sphere(tree["city"])
    assert iati.schema_errors(document, schema) == [] and codes_outside_codelists(document, codelists) == []
    activity = etree.fromstring(document).find("iati-activity")
    assert [(d.get("format"), d.find("category").get("code")) for d in activity.findall("document-link")] == [
        ("text/html", "A09"), ("application/pdf", "A11"), ("image/jpeg", "A08")]
    assert [loc.findtext("point/pos") for loc in activity.findall("location")] == ["43.6 1.44", "14.6937 -17.4441"]
    assert len(activity.findall("budget")) == 2
    api = client.get(f"/api/v1/cooperation/projects/{project.pk}").json()
    assert [d["category"] for d in api["documents"]] == ["A09", "A11", "A08"]
    assert api["places"][1] == {"name": "Dakar, Médina", "lat": 14.6937, "lon": -17.4441}
    assert api["sectors"] == [{"vocabulary": "1", "code": "43030"}] and api["countries"] == ["FR"]

    official.post(f"{base}/places/0/remove/")
    official.post(f"{base}/budgets/{project.budgets.get(kind='2').pk}/remove/")
    official.post(f"{base}/documents/{uploaded.pk}/remove/")
    project.refresh_from_db()
    assert [p["name"] for p in project.places] == ["Dakar, Médina"]
    assert project.budgets.count() == 1 and project.documents.count() == 2
    assert client.get(f"/cooperation/documents/{uploaded.pk}/").status_code == 404
    actions = set(Event.objects.filter(action__startswith="cooperation.").values_list("action", flat=True))
    assert {"cooperation.budget_added", "cooperation.budget_removed", "cooperation.place_added",
            "cooperation.place_removed", "cooperation.document_added", "cooperation.document_removed"} <= actions
    assert iati.schema_errors(iati.export_sphere(tree["city"]), schema) == []


@pytest.mark.parametrize("fields, words", [
    ({"url": "", "upload": None}, "Give either the document's web address or a file, not both."),
    ({"url": "javascript:alert(1)"}, "must be a full web address"),
    ({"url": "", "upload": b"MZ\x90\x00 not a document"}, "neither a PDF nor a readable image"),
    ({"url": "", "upload": b"%PDF-1.4 cut short"}, "This PDF is incomplete or damaged."),
    ({"category": "Z99"}, "“Z99” is not an IATI document category."),
    ({"language": "xx"}, "“xx” is not a language code."),
    ({"link_format": "application/x-msdownload"}, "Choose the document's format."),
])
def test_bad_documents_are_refused_precisely_and_nothing_is_written(partners, people, fields, words):
    arguments = {"title": "Doc", "category": "A01", "url": "https://example.org/doc", "link_format": "text/html",
                 "upload": None, "upload_name": "x.pdf", **fields}
    with pytest.raises(DomainError, match=words):
        services.do_add_document(people["official"], partners["project"], **arguments)
    assert not Document.objects.exists()
    assert not Event.objects.filter(action="cooperation.document_added").exists()


def test_imported_projects_cannot_be_edited(partners, people):
    project = partners["project"]
    Project.objects.filter(pk=project.pk).update(imported=True)
    project.refresh_from_db()
    with pytest.raises(NotAllowed, match="imported from IATI"):
        services.do_add_place(people["official"], project, name="Here", lat=1, lon=1)
    with pytest.raises(NotAllowed):
        services.do_add_budget(people["official"], project, period_start=date(2025, 1, 1),
                               period_end=date(2025, 12, 31), value=Decimal(1))
    assert Budget.objects.filter(project=project).count() == 1
