"""The pages residents and officials use, with their messages in the reader's language."""

import json
import threading

import pytest
from django.db import connection

from comuna.accounts.services import do_create_api_token
from comuna.participation import services
from comuna.participation.models import Proposal, Support


def test_process_page_lists_and_sorts_proposals(client, proposal, process, residents):
    other = services.do_create_proposal(residents[0], process, title="Night buses on weekends",
                                        body="Run buses until 2am on Fridays and Saturdays for shift workers.")
    services.do_support(residents[1], other)
    page = client.get("/processes/city-decides/", {"order": "supports"}).content.decode()
    assert page.index("Night buses") < page.index("Benches along the river")
    assert "Proposals" in page and "aria-current=\"step\"" in page


def test_resident_files_supports_and_sees_messages_in_french(signed_in, process, people, residents):
    client = signed_in(people["resident"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.post("/processes/city-decides/proposals/new/", {
        "title": "Des bancs le long du fleuve", "body": "Vingt bancs le long de la promenade pour que les aînés se reposent."},
        follow=True)
    assert "Votre proposition est publiée." in response.content.decode()
    proposal = Proposal.objects.get()
    supporter = signed_in(residents[0])
    supporter.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    supporter.post(f"/proposals/{proposal.pk}/support/")
    again = supporter.post(f"/proposals/{proposal.pk}/support/", follow=True).content.decode()
    assert "Vous soutenez déjà cette proposition." in again
    assert Support.objects.count() == 1


def test_official_answers_from_the_page_and_follows_the_commitment(signed_in, proposal, people):
    client = signed_in(people["official"])
    client.post(f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "text": "The parks service will do it."})
    commitment = Proposal.objects.get().commitment
    client.post(f"/commitments/{commitment.pk}/update/", {"progress": 30, "status": "in_progress",
                                                         "note": "Benches ordered."})
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "30%" in page and "Benches ordered." in page
    assert proposal.title in client.get("/spheres/city/commitments/").content.decode()


def test_resident_cannot_answer_or_update(signed_in, proposal, people):
    client = signed_in(people["resident"])
    page = client.post(f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "text": "Self-approved!!"},
                       follow=True).content.decode()
    assert "Only officials of City can answer this proposal." in page
    assert Proposal.objects.get().status == "published"


def test_private_process_is_hidden_from_outsiders(client, signed_in, process, people):
    process.is_private = True
    process.save()
    assert client.get("/processes/city-decides/").status_code == 404
    assert signed_in(people["outsider"]).get("/processes/city-decides/").status_code == 404
    assert signed_in(people["resident"]).get("/processes/city-decides/").status_code == 200
    assert "city-decides" not in str(client.get("/api/v1/participation/processes").json())


def test_proposal_page_queries_do_not_grow_with_comments(client, proposal, residents, django_assert_max_num_queries):
    for index in range(30):
        parent = services.do_comment(residents[index % 4], proposal, f"Comment {index}")
        services.do_comment(residents[(index + 1) % 4], proposal, f"Reply {index}", parent=parent)
    with django_assert_max_num_queries(16):
        response = client.get(f"/proposals/{proposal.pk}/")
    assert response.content.decode().count('class="comment') == 60


def test_process_page_queries_do_not_grow_with_proposals(client, process, residents, django_assert_max_num_queries):
    for index in range(25):
        services.do_create_proposal(residents[index % 4], process, title=f"Proposal number {index:02d}",
                                    body="A proposal body that is long enough to be accepted.")
    with django_assert_max_num_queries(10):
        client.get("/processes/city-decides/")


def test_api_proposal_flow(client, process, people, residents):
    _, token = do_create_api_token(people["resident"], "app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post("/api/v1/participation/processes/city-decides/proposals",
                          json.dumps({"title": "Water fountains in parks", "body": "Fountains in every park, please."
                                      " Summers are hotter every year."}), content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/participation/proposals/{pk}/supports", **auth).status_code == 201
    again = client.post(f"/api/v1/participation/proposals/{pk}/supports", **auth)
    assert again.status_code == 409 and again.json()["code"] == "already_supported"
    listed = client.get("/api/v1/participation/processes/city-decides/proposals").json()
    assert listed["count"] == 1 and listed["items"][0]["support_count"] == 1
    short = client.post("/api/v1/participation/processes/city-decides/proposals",
                        json.dumps({"title": "Short", "body": "Too short"}), content_type="application/json", **auth)
    assert short.status_code == 400 and short.json()["code"] == "title_too_short"


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_count_once(tree, people, process):
    """Eight simultaneous supports by the same resident: exactly one is stored and counted."""
    from comuna.participation.services import do_create_proposal

    proposal = do_create_proposal(people["resident"], process, title="Benches along the river",
                                  body="Put twenty benches along the river walk so older residents can rest.")
    outcomes: list[str] = []

    def attempt_support():
        try:
            services.do_support(people["outsider"].__class__.objects.get(pk=people["resident"].pk), proposal)
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - the test records every refusal
            outcomes.append(getattr(error, "code", type(error).__name__))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt_support) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    proposal.refresh_from_db()
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "already_supported"}, outcomes
    assert Support.objects.filter(proposal=proposal).count() == 1 == proposal.support_count
