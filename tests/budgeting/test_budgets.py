"""Participatory budgets in the app: real elections imported and counted, secret ballots, explained outcomes."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comuna.audit.models import Event
from comuna.budgeting import services
from comuna.budgeting.models import Ballot, Budget, Project, Voter
from comuna.budgeting.pb_file import instance_of
from comuna.choice import pb
from comuna.choice.pabulib import parse_pabulib
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation.models import Phase
from comuna.participation.services import build_process
from shared_data import SHARED_DATA

PABULIB = SHARED_DATA / "pabulib"


@pytest.fixture
def process(tree, people):
    """A participatory-budget process now in its voting phase."""
    process = build_process(tree["city"], actor=people["admin"], slug="city-pb", template="participatory_budget",
                            title_en="City budget 2027", starts_at=timezone.now() - timedelta(days=66))
    assert process.phase_at().kind == "voting"
    return process


@pytest.fixture
def budget(process, people):
    budget = services.do_create_budget(people["admin"], process, total=100_000, ballot_kind="approval", rule="mes",
                                       utility="cost", completion="add1")
    for title, cost in [("Trees on the boulevard", 40_000), ("A skate park", 60_000), ("Library books", 20_000),
                        ("Benches", 10_000)]:
        Project.objects.create(budget=budget, title=title, description="A project the city can build.", cost=cost,
                               status="feasible")
    return budget


def ids(budget, *titles):
    return [(budget.projects.get(title=t).pk, 1) for t in titles]


def finish_voting(process):
    shift = timedelta(days=30)
    for phase in process.phases.all():
        Phase.objects.filter(pk=phase.pk).update(starts_at=phase.starts_at - shift, ends_at=phase.ends_at - shift)


def test_real_assen_2024_imported_and_counted_gives_the_official_outcome(tree, people):
    """Assen 2024 ran the Method of Equal Shares with add1: the app, fed the real file, funds what the city funded."""
    expected = json.loads((PABULIB / "expected" / "Netherlands_Assen_2024.pb.json").read_text())
    process = build_process(tree["city"], actor=people["admin"], slug="assen", template="participatory_budget",
                            title_en="Assen 2024", starts_at=timezone.now() - timedelta(days=400))
    raw = (PABULIB / "instances" / "Netherlands_Assen_2024.pb").read_bytes()
    budget = services.do_import_pb(people["admin"], process, raw, rule="mes", utility="cost", completion="add1")
    assert budget.ballots.count() == expected["n_voters"] and budget.projects.count() == expected["n_projects"]
    result = services.do_count(people["official"], budget)
    file_ids = dict(budget.projects.values_list("pk", "review_note"))
    funded = sorted(file_ids[int(pk)].removeprefix("pabulib ") for pk in result["winners"])
    assert funded == sorted(expected["official_selected"])


def test_a_malformed_pb_file_names_its_line_and_creates_nothing(tree, people):
    process = build_process(tree["city"], actor=people["admin"], slug="bad", template="participatory_budget",
                            title_en="Bad")
    raw = b"META\nkey;value\nbudget;1000\nPROJECTS\nproject_id;cost\n1;abc\nVOTES\nvoter_id;vote\n1;1\n"
    with pytest.raises(DomainError) as error:
        services.do_import_pb(people["admin"], process, raw, rule="mes", utility="cost", completion="")
    assert error.value.code == "bad_pb_file" and error.value.details["line"] == 6
    assert not Budget.objects.filter(process=process).exists()


def test_one_secret_ballot_per_resident_changeable_with_the_receipt(budget, people):
    receipt = services.do_vote(people["resident"], budget, ids(budget, "Trees on the boulevard"))
    with pytest.raises(Conflict) as error:
        services.do_vote(people["resident"], budget, ids(budget, "Benches"))
    assert error.value.code == "already_voted"
    services.do_vote(people["resident"], budget, ids(budget, "Benches", "A skate park"), receipt=receipt)
    assert Ballot.objects.count() == 1 and Voter.objects.count() == 1
    assert sorted(pk for pk, _points in Ballot.objects.get().choices) == sorted(
        pk for pk, _ in ids(budget, "Benches", "A skate park"))
    with pytest.raises(DomainError):
        services.do_vote(people["resident"], budget, ids(budget, "Benches"), receipt="not-mine")
    assert not {f.name for f in Ballot._meta.get_fields()} & {"user", "voter", "created_at"}
    assert Event.objects.get(action="pb.ballot_cast").actor_ref == ""


def test_ballot_rules(budget, people):
    with pytest.raises(DomainError) as error:
        services.do_vote(people["resident"], budget, ids(budget, "Trees on the boulevard", "A skate park",
                                                         "Library books"))
    assert error.value.code == "over_budget"
    with pytest.raises(NotAllowed):
        services.do_vote(people["outsider"], budget, ids(budget, "Benches"))
    unfeasible = Project.objects.create(budget=budget, title="A moon base", description="x" * 30, cost=5,
                                        status="unfeasible")
    with pytest.raises(DomainError) as error:
        services.do_vote(people["resident"], budget, [(unfeasible.pk, 1)])
    assert error.value.code == "not_on_ballot"
    assert not Ballot.objects.exists()


def test_vote_outside_the_voting_phase_is_refused(budget, process, people):
    finish_voting(process)
    with pytest.raises(DomainError) as error:
        services.do_vote(people["resident"], budget, ids(budget, "Benches"))
    assert error.value.code == "phase_closed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_store_one_ballot(tree, people):
    process = build_process(tree["city"], actor=people["admin"], slug="pb2", template="participatory_budget",
                            title_en="PB", starts_at=timezone.now() - timedelta(days=66))
    budget = services.do_create_budget(people["admin"], process, total=100, ballot_kind="approval", rule="greedy",
                                       utility="cost", completion="")
    project = Project.objects.create(budget=budget, title="Benches", description="x" * 30, cost=10, status="feasible")
    outcomes = []

    def submit():
        try:
            services.do_vote(people["resident"], budget, [(project.pk, 1)])
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - every refusal is recorded and checked below
            outcomes.append(getattr(error, "code", type(error).__name__))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "already_voted"}, outcomes
    assert Ballot.objects.count() == 1 == Voter.objects.count()


def test_count_explain_and_publish_the_ballots(budget, process, people, client, residents_in_city):
    choices = [("Trees on the boulevard", "Benches"), ("A skate park",), ("A skate park", "Benches"),
               ("Library books", "Benches"), ("Trees on the boulevard",)]
    for resident, titles in zip(residents_in_city, choices, strict=True):
        services.do_vote(resident, budget, ids(budget, *titles))
    services.do_enter_paper_ballot(people["official"], budget, ids(budget, "A skate park"))
    with pytest.raises(Conflict):
        services.do_count(people["official"], budget)  # still voting
    assert client.get("/processes/city-pb/budget/ballots.pb").status_code == 404
    finish_voting(process)
    result = services.do_count(people["official"], budget)
    assert result["spent"] <= budget.total
    published = client.get("/processes/city-pb/budget/ballots.pb").content.decode()
    recount = pb.tally(parse_pabulib(published), rule="mes", utility="cost", completion="add1")
    assert sorted(recount.winners) == sorted(result["winners"])
    assert "resident" not in published and "@" not in published
    page = client.get("/processes/city-pb/budget/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Financé" in page or "financé" in page


@pytest.fixture
def residents_in_city(tree):
    from conftest import make_person

    return [make_person(f"pb{i}@example.org", residency=tree["hood"]) for i in range(5)]


def test_voting_page_with_the_meter_and_receipt_cookie(signed_in, budget, people):
    client = signed_in(people["resident"])
    meter = client.get("/processes/city-pb/budget/meter/", {"project": [p for p, _ in ids(budget, "A skate park",
                                                                                          "Library books")]})
    assert "80,000" in meter.content.decode() or "80 000" in meter.content.decode()
    page = client.post("/processes/city-pb/budget/vote/", {"project": [ids(budget, "Benches")[0][0]]})
    assert "Your ballot is cast" in page.content.decode()
    again = client.post("/processes/city-pb/budget/vote/", {"project": [ids(budget, "A skate park")[0][0]]})
    assert again.status_code == 200 and "Your ballot is cast" in again.content.decode()  # changed via the cookie
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().choices == [[ids(budget, "A skate park")[0][0], 1]]


def test_feasibility_review_adjusts_the_cost_in_public(signed_in, process, people):
    budget = services.do_create_budget(people["admin"], process, total=50_000, ballot_kind="k_approval", k=2,
                                       rule="greedy", utility="cost", completion="")
    project = Project.objects.create(budget=budget, title="Bike racks", description="x" * 30, cost=9_000)
    with pytest.raises(NotAllowed):
        services.do_review_project(people["resident"], project, feasible=True, note="ok", cost=1)
    services.do_review_project(people["official"], project, feasible=True, note="Racks cost more in steel.",
                               cost=12_000)
    project.refresh_from_db()
    assert (project.cost, project.original_cost, project.status) == (12_000, 9_000, "feasible")
    instance = instance_of(budget)
    assert [p.cost for p in instance.projects] == [12_000]


def test_officials_enter_paper_ballots_from_the_page(signed_in, budget, people):
    project = ids(budget, "Benches")[0][0]
    signed_in(people["resident"]).post("/processes/city-pb/budget/paper/", {"project": [project]})
    assert not Ballot.objects.exists()
    page = signed_in(people["official"]).post("/processes/city-pb/budget/paper/", {"project": [project]}, follow=True)
    assert "The paper ballot is entered." in page.content.decode()
    assert Ballot.objects.get().on_paper and not Voter.objects.exists()
