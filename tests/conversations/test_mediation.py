"""The tensions register and mediation cases: anonymous reports keep no author, reports are rate-limited, only
mediators triage and mediate, and confidential notes never reach anyone else, on any page, API route or export."""

from __future__ import annotations

import json

import pytest

from comuna.accounts.models import Role
from comuna.accounts.services import do_create_api_token
from comuna.audit.models import Event
from comuna.conversations import services
from comuna.conversations.models import CaseNote, MediationCase, TensionReport, TensionStatus
from comuna.core.errors import NotAllowed
from conftest import make_person

SECRET = "The spokesperson asked to stay out of the minutes."
REPORT = {"category": "public_space", "severity": "4", "place": "Main square",
          "description": "Shouting matches every night between terrace owners and neighbours."}


def test_an_anonymous_report_stores_no_author(signed_in, people, tree):
    client = signed_in(people["resident"])
    response = client.post("/spheres/hood/tensions/report/", {**REPORT, "anonymous": "on"}, follow=True)
    assert "the mediators of this sphere will read your report" in response.content.decode()
    report = TensionReport.objects.get()
    assert report.author is None and report.severity == 4 and report.sphere == tree["hood"]
    event = Event.objects.get(action="conversations.tension_reported")
    assert event.actor_ref == "" and event.data == {"category": "public_space", "severity": 4}


def test_a_named_report_keeps_its_author(signed_in, people):
    signed_in(people["resident"]).post("/spheres/hood/tensions/report/", REPORT)
    assert TensionReport.objects.get().author == people["resident"]


def test_a_bad_report_changes_nothing(signed_in, people):
    response = signed_in(people["resident"]).post("/spheres/hood/tensions/report/",
                                                  {**REPORT, "description": "Noise."}, follow=True)
    assert "Describe what is happening in at least 20 characters" in response.content.decode()
    assert not TensionReport.objects.exists()


def test_reports_are_rate_limited(signed_in, people):
    client = signed_in(people["resident"])
    codes = [client.post("/spheres/hood/tensions/report/", REPORT).status_code for _ in range(6)]
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert TensionReport.objects.count() == 5


def test_reports_through_the_api_are_anonymous_when_asked(client, people):
    _, token = do_create_api_token(people["resident"], "app")
    response = client.post("/api/v1/conversations/tensions/city", json.dumps({
        "category": "neighbours", "severity": 2, "description": "Bins left on the pavement for weeks now.",
        "anonymous": True}), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert TensionReport.objects.get().author is None


@pytest.fixture
def reports(tree, people):
    return [services.do_report_tension(people["resident"], tree[slug], category="public_space", severity=severity,
                                       description="Arguments about the square every evening.")
            for slug, severity in (("hood", 3), ("city", 5), ("town", 2))]


def test_the_dashboard_is_for_mediators(signed_in, people, mediator, reports, tree):
    for name in ("resident", "official", "moderator"):
        assert signed_in(people[name]).get("/spheres/city/tensions/").status_code == 404, name
    page = signed_in(mediator).get("/spheres/city/tensions/").content.decode()
    assert '<svg id="signals-chart"' in page and "Tension reports per week, by severity" in page
    assert page.count('name="reports"') == 2  # hood and city; the town is another municipality
    assert "Hood" in page and "Town" not in page.split("reports-heading")[1]
    by_sphere = page.split('id="by-sphere"')[1].split("</table>")[0]
    assert "<th scope=\"row\">City</th><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>" in by_sphere
    assert "<th scope=\"row\">Hood</th><td>1</td>" in by_sphere and "Town" not in by_sphere
    from comuna.conversations.selectors import weekly_signals

    weeks = weekly_signals(tree["city"])["rows"]
    assert len(weeks) == 12 and weeks[-1]["by_severity"] == [0, 0, 1, 0, 1] and sum(w["total"] for w in weeks) == 2
    assert len(weeks[-1]["bars"]) == 2


def test_triage_and_opening_a_case(signed_in, people, mediator, reports, tree):
    signed_in(people["official"]).post(f"/tensions/{reports[0].pk}/triage/", {"status": "review"})
    reports[0].refresh_from_db()
    assert reports[0].status == TensionStatus.NEW
    client = signed_in(mediator)
    client.post(f"/tensions/{reports[0].pk}/triage/", {"status": "review"})
    reports[0].refresh_from_db()
    assert reports[0].status == TensionStatus.REVIEW
    response = client.post("/spheres/city/mediation/cases/new/", {
        "title": "The square at night", "reports": [reports[0].pk, reports[1].pk]})
    case = MediationCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert set(case.reports.values_list("status", flat=True)) == {TensionStatus.ESCALATED}
    # A report from another municipality cannot be pulled into the city's case.
    with pytest.raises(services.DomainError):
        services.do_open_case(mediator, tree["city"], title="Elsewhere", reports=[reports[2]])


def test_mediator_permissions(people, mediator, tree):
    other = make_person("other-mediator@example.org", roles=[(tree["town"], Role.MEDIATOR)], mfa=True)
    with pytest.raises(NotAllowed):
        services.do_open_case(other, tree["city"], title="Not my city")
    with pytest.raises(NotAllowed):
        services.do_open_case(people["official"], tree["city"], title="Officials do not mediate")
    without_mfa = make_person("nomfa@example.org", roles=[(tree["city"], Role.MEDIATOR)])
    with pytest.raises(NotAllowed) as error:
        services.do_open_case(without_mfa, tree["city"], title="Two factors first")
    assert error.value.code == "mfa_required"
    assert services.do_open_case(mediator, tree["district"], title="Below the metro").sphere == tree["district"]


@pytest.fixture
def case(mediator, tree, reports):
    case = services.do_open_case(mediator, tree["city"], title="The square at night", reports=[reports[1]])
    services.do_add_party(mediator, case, name="Terrace owners")
    services.do_add_note(mediator, case, SECRET)
    services.do_add_agreement(mediator, case, text="Terraces close at 23:00 on weekdays.")
    services.do_open_case_conversation(mediator, case, slug="square-at-night", topic="What should the square be at night?")
    return case


def test_confidential_notes_never_leak(client, signed_in, people, mediator, case):
    mediator_page = signed_in(mediator).get(case.get_absolute_url()).content.decode()
    assert SECRET in mediator_page
    client.logout()
    urls = [case.get_absolute_url(), "/conversations/square-at-night/", "/conversations/square-at-night/report/",
            "/spheres/city/conversations/", "/spheres/city/audit/", "/api/v1/audit/events",
            f"/api/v1/conversations/cases/{case.pk}", "/api/v1/conversations/square-at-night"]
    for name in ("anonymous", "resident", "moderator", "official", "admin"):
        visitor = client if name == "anonymous" else signed_in(people[name])
        if name != "anonymous":
            _, token = do_create_api_token(people[name], "app")
            visitor.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for url in urls:
            response = visitor.get(url)
            assert response.status_code < 500, (name, url)
            assert SECRET not in response.content.decode(), (name, url)
        exported = visitor.get("/conversations/square-at-night/export.zip").content
        assert SECRET.encode() not in exported
        visitor.defaults.pop("HTTP_AUTHORIZATION", None)
        client.logout()
    # Officials see the case (not its notes); residents and moderators do not see it at all.
    official_page = signed_in(people["official"]).get(case.get_absolute_url()).content.decode()
    assert "Terrace owners" in official_page and "Confidential notes" not in official_page
    assert signed_in(people["resident"]).get(case.get_absolute_url()).status_code == 404
    assert signed_in(people["moderator"]).get(case.get_absolute_url()).status_code == 404
    _, token = do_create_api_token(people["official"], "app2")
    api_case = client.get(f"/api/v1/conversations/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert api_case["parties"][0]["name"] == "Terrace owners" and "notes" not in api_case
    _, token = do_create_api_token(people["resident"], "app2")
    refused = client.get(f"/api/v1/conversations/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403


def test_only_mediators_write_notes(signed_in, people, case):
    signed_in(people["official"]).post(f"/mediation/cases/{case.pk}/notes/", {"text": "An official's note"})
    assert CaseNote.objects.count() == 1
    assert not Event.objects.filter(data__icontains="spokesperson").exists()
