"""Cooperation pages: what a sphere gives and receives, a project in full, and who may change what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from comuna.cooperation import services
from comuna.cooperation.models import Partnership, Project, Transaction, TransactionKind
from comuna.core.errors import Conflict, DomainError, NotAllowed
from shared_data import SHARED_DATA


@pytest.fixture
def with_money(partners, people):
    project = partners["project"]
    services.do_add_transaction(people["official"], project, kind=TransactionKind.COMMITMENT, day=date(2025, 1, 10),
                                value=Decimal("50000"), provider=partners["city"], receiver=partners["town"])
    services.do_add_transaction(people["official"], project, kind=TransactionKind.DISBURSEMENT, day=date(2025, 3, 1),
                                value=Decimal("20000"), provider=partners["city"], receiver=partners["town"])
    services.do_add_result(people["official"], project, title="Squares redesigned", indicator="Squares redesigned",
                           target=Decimal(4), actual=Decimal(1), period_start=date(2025, 1, 1),
                           period_end=date(2025, 12, 31))
    return partners


def test_the_city_page_shows_what_it_gives_and_its_sdg_targets(with_money, client):
    page = client.get("/spheres/city/cooperation/").content.decode()
    assert "City and Town" in page
    assert "Projects it funds" in page and "Shared public spaces" in page
    assert "11.3" in page and "participatory, integrated and sustainable human settlement planning" in page
    assert "50,000.00" in page and "20,000.00" in page
    assert "/api/v1/iati/city/activities.xml" in page


def test_the_town_page_shows_what_it_receives(with_money, client):
    overview = services.sphere_overview(with_money["project"].sphere.__class__.objects.get(slug="town"))
    assert [p.title for p in overview["received"]] == ["Shared public spaces"] and overview["given"] == []
    assert [(row["label"], row["total"]) for row in overview["received_totals"]] == [
        ("Commitment", Decimal("50000")), ("Disbursement", Decimal("20000"))]
    page = client.get("/spheres/town/cooperation/").content.decode()
    assert "Shared public spaces" in page and "City and Town" in page


def test_the_project_page_shows_partners_budget_transactions_and_results(with_money, client):
    page = client.get(with_money["project"].get_absolute_url()).content.decode()
    for text in ("Town", "Implementing", "Funding", "50,000.00 EUR", "Disbursement", "Squares redesigned",
                 "FR-INSEE-213105554-COOP-1", "11.7"):
        assert text in page, text
    assert "Record a transaction" not in page  # anonymous visitors see no staff forms


def test_officials_record_transactions_and_results_from_the_project_page(with_money, signed_in, people):
    client = signed_in(people["official"])
    project = with_money["project"]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Record a transaction" in page
    response = client.post(f"/cooperation/projects/{project.pk}/transactions/", {
        "kind": "4", "day": "2025-05-01", "value": "1000", "description": "Workshop",
        "receiver": with_money["town"].pk})
    assert response.status_code == 302
    assert project.transactions.filter(kind="4", value=1000).exists()
    client.post(f"/cooperation/projects/{project.pk}/results/", {
        "title": "Residents trained", "kind": "1", "indicator": "Residents trained", "measure": "1", "target": "40"})
    assert project.results.filter(title="Residents trained").exists()


@pytest.mark.parametrize("who", ["resident", "moderator", "outsider"])
def test_others_cannot_change_a_project(with_money, signed_in, people, who):
    client = signed_in(people[who])
    project = with_money["project"]
    before = Transaction.objects.count()
    client.post(f"/cooperation/projects/{project.pk}/transactions/", {"kind": "3", "day": "2025-05-01", "value": "9"})
    assert Transaction.objects.count() == before
    assert client.get("/spheres/city/cooperation/projects/new/").status_code == 403
    assert client.get("/spheres/city/cooperation/partnerships/new/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(tree, client):
    response = client.get("/spheres/city/cooperation/partnerships/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_official_records_a_partnership_with_another_city(tree, people, signed_in):
    client = signed_in(people["official"])
    response = client.post("/spheres/city/cooperation/partnerships/new/", {
        "title": "Twinning", "partner_sphere": "town", "since": "2024-06-01"})
    assert response.status_code == 302
    partnership = Partnership.objects.get(title="Twinning")
    assert partnership.partner.sphere == tree["town"]
    again = client.post("/spheres/city/cooperation/partnerships/new/", {"title": "Twice", "partner_sphere": "town"},
                        follow=True)
    assert "already has a partnership with Town" in again.content.decode()
    assert Partnership.objects.count() == 1


def test_an_official_publishes_a_project_with_sdg_targets(partners, people, signed_in):
    client = signed_in(people["official"])
    response = client.post("/spheres/city/cooperation/projects/new/", {
        "title": "Water for schools", "partner_name": "Eau Vive", "partner_ref": "FR-RNA-W123456789",
        "partner_type": "22", "partner_role": "4", "sdg_targets": ["6.1", "4.a"], "status": "1", "currency": "eur",
        "planned_start": "2025-01-01", "planned_end": "2025-12-31", "budget": "12000"})
    assert response.status_code == 302
    project = Project.objects.get(title="Water for schools")
    assert project.sdg_targets == ["6.1", "4.a"] and project.iati_identifier == "FR-INSEE-213105554-COOP-2"
    assert project.participants.filter(organisation__name="Eau Vive", role="4").exists()
    assert project.budgets.get().value == 12000


def test_refusals_come_before_any_change(partners, tree, people):
    from comuna.accounts.models import Role, RoleAssignment

    with pytest.raises(NotAllowed):
        services.do_create_project(people["resident"], tree["city"], title="No")
    with pytest.raises(DomainError, match="not an SDG target"):
        services.do_create_project(people["official"], tree["city"], title="Bad target", sdg_targets=["18.1"])
    with pytest.raises(DomainError, match="three-letter ISO 4217 code"):
        services.do_create_project(people["official"], tree["city"], title="Bad currency", currency="EURO")
    with pytest.raises(DomainError, match="not an OECD DAC sector code"):
        services.do_create_project(people["official"], tree["city"], title="Bad sector", sectors=[{"code": "1"}])
    RoleAssignment.objects.create(user=people["official"], sphere=tree["town"], role=Role.OFFICIAL)
    with pytest.raises(DomainError, match="Set the IATI organisation identifier of Town first"):
        services.do_create_project(people["official"], tree["town"], title="No identifier")
    with pytest.raises(DomainError, match="not an IATI organisation identifier"):
        services.do_set_identifier(people["admin"], tree["city"], "Toulouse!")
    with pytest.raises(NotAllowed):
        services.do_set_identifier(people["official"], tree["city"], "FR-INSEE-1")
    services.partner_organisation(name="Other", iati_ref="XM-DAC-1")
    with pytest.raises(Conflict):
        services.do_set_identifier(people["admin"], tree["city"], "XM-DAC-1")
    assert Project.objects.count() == 1
    assert services.organisation_for(tree["city"]).iati_ref == "FR-INSEE-213105554"


def test_only_server_admins_import_and_bad_uploads_are_answered_precisely(tree, people, signed_in):
    from conftest import make_person

    assert signed_in(people["admin"]).get("/cooperation/import/").status_code == 403
    client = signed_in(make_person("root@example.org", superuser=True, mfa=True))
    assert client.get("/cooperation/import/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("budget.xml", b"not <xml", content_type="text/xml")
    page = client.post("/cooperation/import/", {"file": bad}).content.decode()
    assert "The file is not XML" in page and "line 1" in page
    assert Project.objects.count() == 0
    real = (SHARED_DATA / "iati" / "real-activities" / "iati-flattener-fixtures" / "fixtures" / "sr-activity.xml")
    page = client.post("/cooperation/import/", {"file": SimpleUploadedFile("sr.xml", real.read_bytes())}).content.decode()
    assert "1 imported, 0 updated, 0 unchanged, 0 skipped." in page


def test_the_api_gives_a_sphere_overview_and_a_project(with_money, client):
    overview = client.get("/api/v1/cooperation/spheres/city").json()
    assert overview["iati_ref"] == "FR-INSEE-213105554"
    assert [p["title"] for p in overview["given"]] == ["Shared public spaces"]
    assert [t["code"] for t in overview["targets"]] == ["11.3", "11.7"]
    project = client.get(f"/api/v1/cooperation/projects/{with_money['project'].pk}").json()
    assert {(p["organisation"]["name"], p["role"]) for p in project["participants"]} >= {("Town", "4")}
    assert [t["kind"] for t in project["transactions"]] == ["2", "3"]
    assert client.get("/api/v1/cooperation/projects/999999").status_code == 404


def test_the_demo_has_a_partnership_between_two_cities_of_the_network(db, schema):
    from comuna.cooperation import iati
    from comuna.demo import load_demo
    from comuna.spheres.models import Sphere

    load_demo()
    partnership = Partnership.objects.get(sphere__slug="toulouse")
    assert partnership.partner.sphere.slug == "barcelona"
    network = Sphere.objects.get(slug="cities-for-local-democracy")
    members = set(network.members.values_list("slug", flat=True))
    assert {"toulouse", "barcelona"} <= members
    project = partnership.projects.get()
    assert project.sdg_targets and all(code.startswith("11.") for code in project.sdg_targets)
    assert project.budgets.count() == 1 and project.transactions.count() == 2
    assert project.results.get().indicators.count() == 1
    assert iati.schema_errors(iati.export_sphere(Sphere.objects.get(slug="toulouse")), schema) == []


def test_pages_take_a_bounded_number_of_queries(with_money, client, django_assert_max_num_queries, people):
    from comuna.cooperation.models import Participant

    project = with_money["project"]
    for n in range(10):  # more partners and transactions must not mean more queries
        extra = services.partner_organisation(name=f"Partner {n}")
        Participant.objects.create(project=project, organisation=extra, role="4")
        services.do_add_transaction(people["official"], project, kind="4", day=date(2025, 4, 1), value=Decimal(1),
                                    receiver=extra)
    client.get("/spheres/city/cooperation/")  # warm caches (sessions, site settings)
    with django_assert_max_num_queries(15):
        assert client.get("/spheres/city/cooperation/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(project.get_absolute_url()).status_code == 200
