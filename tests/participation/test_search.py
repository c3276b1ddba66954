"""Full-text search and filters, the same on pages and in the API, on SQLite (FTS5) and PostgreSQL."""

import pytest

from comuna.participation import services
from comuna.participation.selectors import find_proposals


@pytest.fixture
def proposals(process, people, residents):
    made = {
        "benches": services.do_create_proposal(people["resident"], process, title="Benches along the river",
                                               body="Twenty benches along the river walk for older residents."),
        "buses": services.do_create_proposal(residents[0], process, title="Night buses on weekends",
                                             body="Run buses until 2am on Fridays and Saturdays for shift workers."),
        "fete": services.do_create_proposal(residents[1], process, title="Fête de la musique à Saint-Éloi",
                                            body="Une scène ouverte pour les groupes du quartier, avec des bancs."),
    }
    services.do_support(residents[2], made["buses"])
    return made


def test_words_and_prefixes_match(proposals, people):
    titles = lambda text: {p.title for p in find_proposals(people["resident"], text=text)}  # noqa: E731
    assert titles("bench") == {"Benches along the river"}
    assert titles("river benches") == {"Benches along the river"}
    assert titles("bancs") == {"Fête de la musique à Saint-Éloi"}
    assert titles("buses river") == set()
    assert titles('("bench") river*') == {"Benches along the river"}  # FTS syntax is read as plain words
    assert titles('" OR 1=1 --') == set()
    assert len(titles("")) == 3


def test_accents_do_not_matter(proposals, people):
    assert [p.title for p in find_proposals(people["resident"], text="fete eloi")] == ["Fête de la musique à Saint-Éloi"]


def test_edits_are_searchable(proposals, people):
    services.do_edit_proposal(people["resident"], proposals["benches"], title="Shaded seats along the river",
                              body="Twenty seats under trees along the river walk for older residents.")
    assert not find_proposals(people["resident"], text="benches").exists()
    assert find_proposals(people["resident"], text="shaded").exists()


def test_filters_and_sorting(proposals, people):
    assert [p.title for p in find_proposals(people["resident"], min_supports=1)] == ["Night buses on weekends"]
    ordered = [p.title for p in find_proposals(people["resident"], order="supports")]
    assert ordered[0] == "Night buses on weekends"
    assert find_proposals(people["resident"], sphere="town").count() == 0
    assert find_proposals(people["resident"], status="withdrawn").count() == 0


def test_private_processes_stay_private_in_search(proposals, process, people, client):
    process.is_private = True
    process.save()
    assert find_proposals(people["outsider"], text="benches").count() == 0
    assert find_proposals(people["resident"], text="benches").count() == 1
    assert find_proposals(people["official"], text="benches").count() == 1
    assert "Benches" not in client.get("/search/", {"q": "benches"}).content.decode()
    assert client.get("/api/v1/participation/proposals", {"q": "benches"}).json()["count"] == 0


def test_search_page_and_api_agree(proposals, client):
    page = client.get("/search/", {"q": "buses", "order": "supports"}).content.decode()
    assert "Night buses on weekends" in page and "Benches" not in page
    api = client.get("/api/v1/participation/proposals", {"q": "buses"}).json()
    assert [item["title"] for item in api["items"]] == ["Night buses on weekends"]


def test_similar_proposals_are_suggested_while_writing(signed_in, proposals, people):
    fragment = signed_in(people["resident"]).get("/processes/city-decides/similar/",
                                                 {"title": "More benches in parks"}).content.decode()
    assert "Benches along the river" in fragment and "Night buses" not in fragment
