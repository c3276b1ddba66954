"""Elections by STV: secret ranked ballots, one per resident, counted by comuna.choice.stv, recountable from BLT."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comuna.audit.models import Event
from comuna.choice import stv
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.representation import elections
from comuna.representation.models import Ballot, Election, Participation
from shared_data import SHARED_DATA


@pytest.fixture
def election(tree, people):
    now = timezone.now()
    return elections.do_create_election(
        people["admin"], tree["city"], slug="council-2026", title="City council 2026", seats=2,
        candidates=["Ana", "Bruno", "Chloé", "Dario"], opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1), tie_seed="lottery 2026-11-28")


def close(election):
    Election.objects.filter(pk=election.pk).update(opens_at=timezone.now() - timedelta(days=2),
                                                   closes_at=timezone.now() - timedelta(minutes=1))
    election.refresh_from_db()


def test_one_secret_ballot_per_resident(election, people):
    receipt = elections.do_cast_ballot(people["resident"], election, [2, 1])
    with pytest.raises(Conflict) as error:
        elections.do_cast_ballot(people["resident"], election, [3])
    assert error.value.code == "already_voted"
    assert Ballot.objects.count() == 1 and Participation.objects.count() == 1
    assert elections.ballot_counted(election, receipt) and not elections.ballot_counted(election, "0" * 16)
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert not ballot_fields & {"user", "voter", "created_at", "participation"}
    cast = Event.objects.get(action="election.ballot_cast")
    assert cast.actor_ref == "" and cast.data == {}


@pytest.mark.parametrize(("ranking", "code"), [
    ([], "empty_ballot"), ([1, 1], "repeated_candidate"), ([9], "unknown_candidate")])
def test_bad_ballots_are_refused(election, people, ranking, code):
    with pytest.raises(DomainError) as error:
        elections.do_cast_ballot(people["resident"], election, ranking)
    assert error.value.code == code
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_only_residents_and_only_while_open(election, people):
    with pytest.raises(NotAllowed):
        elections.do_cast_ballot(people["outsider"], election, [1])
    close(election)
    with pytest.raises(DomainError) as error:
        elections.do_cast_ballot(people["resident"], election, [1])
    assert error.value.code == "voting_closed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_from_one_person_count_once(tree, people):
    now = timezone.now()
    election = elections.do_create_election(
        people["admin"], tree["city"], slug="e", title="E", seats=1, candidates=["A", "B"],
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1), tie_seed="s")
    results = []

    def cast():
        try:
            elections.do_cast_ballot(people["resident"], election, [1, 2])
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - every refusal is recorded and checked below
            results.append(getattr(error, "code", type(error).__name__))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1 and set(results) <= {"ok", "already_voted"}, results
    assert Ballot.objects.count() == 1 == Participation.objects.count()


def ward(name: str) -> dict:
    return next(w for w in json.loads((SHARED_DATA / "stv" / "official_2017_results.json").read_text())
                if w["blt_file"].endswith(name))


def test_a_real_ward_counted_in_the_app_elects_the_official_councillors(tree, people):
    """Aberdeen Torry/Ferryhill 2017: its 5,598 real ballots cast into the app, counted, checked with the result."""
    official = ward("aberdeen_2017_ward12.blt")
    source = stv.read_blt(SHARED_DATA / "stv" / official["blt_file"])
    now = timezone.now()
    election = elections.do_create_election(
        people["admin"], tree["city"], slug="torry", title="Torry/Ferryhill", seats=source.seats,
        candidates=list(source.candidates), opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=1),
        tie_seed="2017")
    Ballot.objects.bulk_create([
        Ballot(election=election, rankings=[group[0] for group in ballot.rankings if group],
               receipt_digest=f"{index:064x}")
        for index, ballot in enumerate(b for b in source.ballots for _ in range(b.weight))])
    close(election)
    with pytest.raises(NotAllowed):
        elections.do_count(people["resident"], election)
    result = elections.do_count(people["official"], election)
    assert sorted(result["elected"]) == sorted(official["official_elected_blt_indices"])
    assert result["valid_votes"] == official["valid_poll_official"]
    assert int(float(result["quota"])) == official["quota_official"]
    assert len(result["stages"]) == official["official_number_of_counts"]
    with pytest.raises(Conflict):
        elections.do_count(people["official"], election)


def test_count_waits_for_the_close_and_the_ballots_are_then_published(client, election, people, residents_in_city):
    elections.do_cast_ballot(people["resident"], election, [1, 2])
    for index, resident in enumerate(residents_in_city):
        elections.do_cast_ballot(resident, election, [[2, 3], [3, 1], [4, 2]][index % 3])
    with pytest.raises(Conflict) as error:
        elections.do_count(people["official"], election)
    assert error.value.code == "still_open"
    assert client.get("/elections/council-2026/ballots.blt").status_code == 404
    close(election)
    result = elections.do_count(people["official"], election)
    blt = client.get("/elections/council-2026/ballots.blt").content.decode()
    recount = stv.count_scottish(stv.parse_blt(blt), tie_seed=election.tie_seed)
    assert recount.elected == result["elected"]
    page = client.get("/elections/council-2026/").content.decode()
    assert "Stage 1" in page and "quota" in page


@pytest.fixture
def residents_in_city(tree):
    from conftest import make_person

    return [make_person(f"v{i}@example.org", residency=tree["district"]) for i in range(6)]


def test_voting_from_the_page_with_numbers(signed_in, election, people):
    client = signed_in(people["resident"])
    page = client.post("/elections/council-2026/vote/", {"rank_1": "2", "rank_3": "1", "rank_2": ""}).content.decode()
    assert "Your ballot is cast" in page
    assert Ballot.objects.get().rankings == [3, 1]
    again = signed_in(people["resident"]).post("/elections/council-2026/vote/", {"rank_1": "1"}, follow=True)
    assert "You have already voted" in again.content.decode()


def test_same_number_twice_is_explained(signed_in, election, people):
    page = signed_in(people["resident"]).post("/elections/council-2026/vote/", {"rank_1": "1", "rank_2": "1"},
                                              follow=True).content.decode()
    assert "same preference number 1" in page and not Ballot.objects.exists()
